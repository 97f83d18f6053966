package io.hyperops.task.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Reads a file's owner, group and mode, as {@code ls -l} shows them, without following a final link. */
public final class FileModes
{
    private FileModes() {}

    /** Owner and group by name, and the permission bits. */
    public record Mode(String owner, String group, Set<PosixFilePermission> permissions)
    {
        public boolean worldReadable()
        {
            return permissions.contains(PosixFilePermission.OTHERS_READ);
        }

        public boolean worldWritable()
        {
            return permissions.contains(PosixFilePermission.OTHERS_WRITE);
        }

        public boolean groupWritable()
        {
            return permissions.contains(PosixFilePermission.GROUP_WRITE);
        }

        /** {@code root:libvirt rw-rw----}, for evidence. */
        public String text()
        {
            return owner + ":" + group + " " + PosixFilePermissions.toString(permissions);
        }
    }

    /**
     * The mode of what the path names: a symlink's target (a link's own mode is always rwxrwxrwx and
     * means nothing; NixOS installs /etc files as links into the read-only store), or the link itself
     * when it leads nowhere.
     */
    public static Mode of(Path file)
            throws IOException
    {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        }
        catch (NoSuchFileException e) {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        return new Mode(attributes.owner().getName(), attributes.group().getName(), attributes.permissions());
    }
}
