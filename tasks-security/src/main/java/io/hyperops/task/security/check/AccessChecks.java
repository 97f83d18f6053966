package io.hyperops.task.security.check;

import io.hyperops.spi.HostPaths;
import io.hyperops.task.security.FileModes;
import io.hyperops.task.security.Finding;
import io.hyperops.task.security.HostRoot;
import io.hyperops.task.security.polkit.PolkitRules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** Who can reach libvirt and hyperops's own files. */
public final class AccessChecks
{
    private static final Pattern POLKIT_ACCESS_DRIVER = Pattern.compile("(?m)^\\s*access_drivers\\s*=\\s*\\[[^\\]]*\"polkit\"");

    private final HostRoot host;

    public AccessChecks(HostRoot host)
    {
        this.host = requireNonNull(host, "host is null");
    }

    /**
     * A libvirt read-write socket that any local user may open, with {@code auth_unix_rw = "none"}, gives
     * every local user root through QEMU. With polkit authorizing connections (libvirt's default
     * {@code auth_unix_rw}, and then libvirt makes the socket 0777 itself) the mode is no door. Each
     * socket is judged by its daemon's config: {@code libvirt-sock} by libvirtd.conf, {@code virtqemud-sock}
     * by virtqemud.conf in the same folder.
     */
    public Finding libvirtSockets(List<Path> sockets, Path libvirtdConfig)
            throws IOException
    {
        String id = "libvirt_socket_permissions";
        List<String> open = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        for (Path socket : sockets) {
            Path file = host.resolve(socket);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            FileModes.Mode mode = FileModes.of(file);
            Path config = daemonConfig(socket, libvirtdConfig);
            String authentication = setting(config, "auth_unix_rw").orElse("polkit");
            String text = socket + " " + mode.text() + ", auth_unix_rw " + authentication + " (" + config + ")";
            (mode.worldWritable() && authentication.equals("none") ? open : fine).add(text);
        }
        if (!open.isEmpty()) {
            return Finding.error(id, "libvirt's read-write socket is open to every local user without authentication: " + String.join(", ", open),
                    "Set unix_sock_group = \"libvirt\" and unix_sock_rw_perms = \"0770\" (or auth_unix_rw = \"polkit\") in the daemon's config "
                            + "and restart it; only the libvirt group (or whom polkit allows) then reaches it");
        }
        if (fine.isEmpty()) {
            return Finding.info(id, "no libvirt socket found at " + sockets);
        }
        return Finding.ok(id, String.join("; ", fine));
    }

    private static Path daemonConfig(Path socket, Path libvirtdConfig)
    {
        String daemon = socket.getFileName().toString().replaceFirst("-sock$", "");
        return daemon.equals("libvirt") ? libvirtdConfig : libvirtdConfig.resolveSibling(daemon + ".conf");
    }

    /** A setting of a libvirt daemon's config ({@code key = "value"}), unquoted; empty when unset. */
    private Optional<String> setting(Path config, String key)
            throws IOException
    {
        Path file = host.resolve(config);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Matcher matcher = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s*=\\s*\"?([^\"\\s#]*)").matcher(Files.readString(file));
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /**
     * The operator limits hold only when libvirt asks polkit about each action and the installed rules
     * are the ones the current role model renders.
     */
    public Finding libvirtAccessControl(List<Path> sockets, Path libvirtdConfig, Path rulesFile, PolkitRules expected)
            throws IOException
    {
        String id = "libvirt_access_control";
        // the config of the daemon that checks the actions: virtqemud.conf on hosts with libvirt's modular
        // daemons (whose libvirt-sock, if any, is virtproxyd's, which only passes calls on), else libvirtd.conf
        Path daemonConfig = sockets.stream().filter(socket -> Files.exists(host.resolve(socket), LinkOption.NOFOLLOW_LINKS))
                .map(socket -> daemonConfig(socket, libvirtdConfig))
                .filter(candidate -> !candidate.equals(libvirtdConfig)).findFirst().orElse(libvirtdConfig);
        Path config = host.resolve(daemonConfig);
        String install = "Install the rules: hyperops security polkit-rules --output " + rulesFile
                + ", set access_drivers = [ \"polkit\" ] in " + daemonConfig + " and restart its daemon (see docs/security.md)";
        if (!Files.isRegularFile(config) || !POLKIT_ACCESS_DRIVER.matcher(Files.readString(config)).find()) {
            return Finding.warn(id, "libvirt does not check actions with polkit (no access_drivers = [ \"polkit\" ] in " + daemonConfig
                    + "): operators with a read-write connection may undefine guests and delete storage", install);
        }
        Path rules = host.resolve(rulesFile);
        if (!Files.isRegularFile(rules)) {
            return Finding.warn(id, "access_drivers uses polkit, but " + rulesFile + " is missing: operators get only what other polkit rules give", install);
        }
        if (!Files.readString(rules).equals(expected.render())) {
            return Finding.warn(id, rulesFile + " differs from the rules this version renders for operators '" + expected.operatorGroup()
                    + "' and admins '" + expected.adminGroup() + "'", install);
        }
        return Finding.ok(id, "libvirt checks actions with polkit; " + rulesFile + " matches the role model");
    }

    /** Whether an armored key file holds public key blocks only: no secret key, nothing else. */
    private static boolean publicKeysOnly(Path file)
    {
        try {
            String text = Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
            return text.contains("-----BEGIN PGP PUBLIC KEY BLOCK-----") && !text.contains("PRIVATE KEY BLOCK") && !text.contains("SECRET KEY");
        }
        catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * hyperops's own files: key files readable only by owner and group (a file of public keys only by anyone), config and control socket not
     * writable by others, state and logs not open to others.
     */
    public Finding ownFiles(HostPaths paths, Path configFile, Path controlSocket, List<Path> keyFiles)
            throws IOException
    {
        String id = "hyperops_files";
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (Path key : keyFiles) {
            Path file = host.resolve(key);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                FileModes.Mode mode = FileModes.of(file);
                checked.add(key + " " + mode.text());
                // a file of public keys only (what backups encrypt to) may be read by anyone, as the backup
                // task says; one that holds a secret key, or cannot be told, may not
                boolean publicOnly = publicKeysOnly(file);
                if (mode.worldWritable()) {
                    errors.add("key file " + key + " is writable by every user (" + mode.text() + "): chmod 0640 " + key);
                }
                else if (mode.worldReadable() && !publicOnly) {
                    errors.add("key file " + key + " is readable by every user (" + mode.text() + "): chmod 0640 " + key);
                }
                else if (mode.groupWritable()) {
                    warnings.add("key file " + key + " is writable by its group (" + mode.text() + "): chmod 0640 " + key);
                }
            }
        }
        for (Path file : List.of(host.resolve(configFile), host.resolve(controlSocket))) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                FileModes.Mode mode = FileModes.of(file);
                checked.add(host.hostPath(file) + " " + mode.text());
                if (mode.worldWritable()) {
                    errors.add(host.hostPath(file) + " is writable by every user (" + mode.text() + "): chmod o-w " + host.hostPath(file));
                }
            }
        }
        for (Path folder : List.of(paths.stateDir(), paths.logDir())) {
            if (Files.isDirectory(folder)) {
                FileModes.Mode mode = FileModes.of(folder);
                checked.add(folder + " " + mode.text());
                if (mode.worldWritable()) {
                    errors.add(folder + " is writable by every user (" + mode.text() + "): chmod 0750 " + folder);
                }
                else if (mode.worldReadable()) {
                    warnings.add(folder + " is readable by every user (" + mode.text() + "): chmod 0750 " + folder);
                }
            }
        }
        if (!errors.isEmpty()) {
            List<String> all = new ArrayList<>(errors);
            all.addAll(warnings);
            return Finding.error(id, String.join("; ", errors) + (warnings.isEmpty() ? "" : "; also " + String.join("; ", warnings)), fixOf(all));
        }
        if (!warnings.isEmpty()) {
            return Finding.warn(id, String.join("; ", warnings), fixOf(warnings));
        }
        return Finding.ok(id, checked.isEmpty() ? "none of hyperops's files exist here yet" : String.join(", ", checked));
    }

    private static String fixOf(List<String> problems)
    {
        return String.join("; ", problems.stream().map(problem -> problem.substring(problem.lastIndexOf(": ") + 2)).toList());
    }
}
