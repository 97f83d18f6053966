package io.hyperops.task.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A local Debian package archive and a private dpkg root in a test folder, so that the real
 * {@code apt-get}, {@code apt-cache}, {@code apt-mark} and {@code dpkg} install, upgrade, downgrade and
 * hold packages without touching the host's own: every apt call gets {@link #options()}, which point
 * sources, lists, cache, log and dpkg's status at the folder and pass {@code --root} to dpkg; their
 * locks are this folder's too ({@link #dpkgFrontendLock()}).
 * Packages are built with {@code dpkg-deb}; the {@code Packages} index is written here, so neither
 * apt-utils nor dpkg-dev is needed.
 */
final class TestingAptArchive
{
    static final String PACKAGE = "hyperops-upd-test";
    static final String OTHER_PACKAGE = "hyperops-upd-other";

    private final Path folder;
    private final Path repository;
    private final Path root;
    // package and version of every .deb the archive offers, in the order published
    private final List<Map.Entry<String, String>> published = new ArrayList<>();

    private TestingAptArchive(Path folder)
    {
        this.folder = requireNonNull(folder, "folder is null");
        this.repository = folder.resolve("repo");
        this.root = folder.resolve("root");
    }

    static boolean aptAvailable()
    {
        return Files.isExecutable(Path.of("/usr/bin/apt-get")) && Files.isExecutable(Path.of("/usr/bin/dpkg-deb"));
    }

    static TestingAptArchive create(Path folder)
            throws IOException
    {
        TestingAptArchive archive = new TestingAptArchive(folder);
        for (String directory : List.of("repo", "root/var/lib/dpkg/updates", "root/var/lib/dpkg/info", "lists/partial", "cache/archives/partial", "log", "etc")) {
            Files.createDirectories(folder.resolve(directory));
        }
        Files.createFile(archive.root.resolve("var/lib/dpkg/status"));
        Files.writeString(folder.resolve("etc/sources.list"), "deb [trusted=yes] file:" + archive.repository + " ./\n");
        return archive;
    }

    /** The apt options (each passed as {@code -o}) that confine apt and dpkg to this folder. */
    List<String> options()
    {
        return List.of(
                "Dir::Etc::sourcelist=" + folder.resolve("etc/sources.list"),
                "Dir::Etc::sourceparts=-",
                "Dir::State::Lists=" + folder.resolve("lists"),
                "Dir::Cache=" + folder.resolve("cache"),
                "Dir::Log=" + folder.resolve("log"),
                "Dir::State::status=" + root.resolve("var/lib/dpkg/status"),
                "DPkg::Options::=--root=" + root,
                // dpkg logs to the host's /var/log/dpkg.log even under --root
                "DPkg::Options::=--log=" + folder.resolve("log/dpkg.log"),
                // apt and dpkg lock this root's dpkg folder (lock-frontend, lock), not the host's
                "APT::Sandbox::User=root");
    }

    /** dpkg's log of this root: a line per package it installed, upgraded or configured. */
    Path dpkgLog()
    {
        return folder.resolve("log/dpkg.log");
    }

    /** The lock apt takes before it runs dpkg: held by another apt or dpkg (unattended-upgrades). */
    Path dpkgFrontendLock()
    {
        return root.resolve("var/lib/dpkg/lock-frontend");
    }

    /** Builds the test package at this version into the archive and rewrites the index. */
    void publish(String version)
            throws IOException, InterruptedException
    {
        publish(PACKAGE, version, false);
    }

    /**
     * Builds a package at a version into the archive and rewrites the index.
     *
     * @param failingPostinst gives the package a post-installation script that fails, as a broken
     *        upgrade's does: dpkg leaves it unpacked, half-configured, and apt-get fails
     */
    void publish(String name, String version, boolean failingPostinst)
            throws IOException, InterruptedException
    {
        Path build = folder.resolve("build-" + name + "-" + version);
        Files.createDirectories(build.resolve("DEBIAN"));
        Files.createDirectories(build.resolve("usr/share/" + name));
        Files.writeString(build.resolve("DEBIAN/control"), control(name, version));
        if (failingPostinst) {
            // run chrooted into the private root, which has no shell: the script fails either way
            Path postinst = Files.writeString(build.resolve("DEBIAN/postinst"), "#!/bin/sh\nexit 1\n");
            Files.setPosixFilePermissions(postinst, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(build.resolve("usr/share/" + name + "/version"), version + "\n");
        run(List.of("dpkg-deb", "--build", "--root-owner-group", build.toString(), repository.resolve(debName(name, version)).toString()));
        published.add(Map.entry(name, version));
        writeIndex();
    }

    /** Takes a version out of the archive, as a mirror does once a newer one replaced it. */
    void withdraw(String version)
            throws IOException
    {
        published.remove(Map.entry(PACKAGE, version));
        Files.delete(repository.resolve(debName(PACKAGE, version)));
        writeIndex();
    }

    /** Runs apt-get with the archive's options, as a test's own set-up step. */
    void aptGet(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("apt-get"));
        options().forEach(option -> command.addAll(List.of("-o", option)));
        command.addAll(List.of(arguments));
        run(command);
    }

    /**
     * Leaves the private root as a dpkg killed while it configured the test package leaves it (the host
     * went down): the package unpacked but not configured, recorded in dpkg's journal ({@code updates/})
     * and not yet merged into its status file. apt refuses every change then, until {@code dpkg
     * --configure -a} has run.
     */
    void interruptDpkg()
            throws IOException
    {
        List<String> lines = Files.readAllLines(root.resolve("var/lib/dpkg/status"));
        int start = lines.indexOf("Package: " + PACKAGE);
        if (start < 0) {
            throw new IllegalStateException(PACKAGE + " is not installed");
        }
        int end = start;
        while (end < lines.size() && !lines.get(end).isEmpty()) {
            end++;
        }
        StringBuilder record = new StringBuilder();
        for (String line : lines.subList(start, end)) {
            record.append(line.startsWith("Status: ") ? "Status: install ok unpacked" : line).append('\n');
        }
        Files.writeString(root.resolve("var/lib/dpkg/updates/0000"), record.append('\n').toString());
    }

    /** The version of the test package's file in the private root, or "absent". */
    String installedVersion()
            throws IOException
    {
        return installedVersion(PACKAGE);
    }

    /** The version of a package's file in the private root, or "absent". */
    String installedVersion(String name)
            throws IOException
    {
        Path file = root.resolve("usr/share/" + name + "/version");
        return Files.exists(file) ? Files.readString(file).strip() : "absent";
    }

    /** The test package's dpkg status line in the private root, e.g. {@code Status: hold ok installed}. */
    String dpkgStatus()
            throws IOException
    {
        return dpkgStatus(PACKAGE);
    }

    /** A package's dpkg status line in the private root, e.g. {@code Status: install ok half-configured}. */
    String dpkgStatus(String name)
            throws IOException
    {
        List<String> lines = Files.readAllLines(root.resolve("var/lib/dpkg/status"));
        int start = lines.indexOf("Package: " + name);
        return start < 0 ? "absent" : lines.subList(start, lines.size()).stream().filter(line -> line.startsWith("Status: ")).findFirst().orElse("absent");
    }

    private void writeIndex()
            throws IOException
    {
        StringBuilder index = new StringBuilder();
        for (Map.Entry<String, String> deb : published) {
            String file = debName(deb.getKey(), deb.getValue());
            byte[] content = Files.readAllBytes(repository.resolve(file));
            index.append(control(deb.getKey(), deb.getValue()).replace("Description:", "Filename: ./" + file + "\nSize: " + content.length + "\nSHA256: " + sha256(content) + "\nDescription:"))
                    .append('\n');
        }
        Files.writeString(repository.resolve("Packages"), index.toString());
    }

    private static String control(String name, String version)
    {
        return "Package: " + name + "\nVersion: " + version + "\nArchitecture: all\nMaintainer: hyperops tests <tests@example.org>\nDescription: hyperops update test package\n";
    }

    private static String debName(String name, String version)
    {
        return name + "_" + version + "_all.deb";
    }

    private static String sha256(byte[] bytes)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(List<String> command)
            throws IOException, InterruptedException
    {
        CommandRunner.Result result = new ProcessCommandRunner().run(command, folder, Map.of("DEBIAN_FRONTEND", "noninteractive"), Duration.ofMinutes(2));
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe());
        }
    }
}
