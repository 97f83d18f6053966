package io.hyperops.task.security.check;

import io.hyperops.task.security.Finding;
import io.hyperops.task.security.HostRoot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** The compliance list's configuration checks: central logging and a second factor for admins. */
public final class ConfigChecks
{
    /** PAM modules that add a second factor. */
    static final List<String> SECOND_FACTORS = List.of("pam_google_authenticator.so", "pam_u2f.so", "pam_oath.so", "pam_yubico.so", "pam_duo.so");
    // legacy selector syntax: "*.* @host" (UDP) or "@@host" (TCP)
    private static final Pattern LEGACY_FORWARD = Pattern.compile("^\\S+\\s+@@?\\(?[^\\s@]+");
    private static final Pattern OMFWD = Pattern.compile("action\\s*\\([^)]*type\\s*=\\s*\"omfwd\"[^)]*target\\s*=\\s*\"([^\"]+)\"", Pattern.DOTALL);

    private final HostRoot host;

    public ConfigChecks(HostRoot host)
    {
        this.host = requireNonNull(host, "host is null");
    }

    /**
     * A copy of the logs leaves the host: rsyslog forwards to a remote server ({@code @host},
     * {@code @@host} or an {@code omfwd} action) or systemd-journal-upload has a URL. journald's
     * {@code ForwardToSyslog} is reported with it, since rsyslog sees the journal only through it or imjournal.
     */
    public Finding centralLogging()
            throws IOException
    {
        String id = "centralized_logging";
        List<String> remotes = new ArrayList<>();
        for (Path file : filesOf("/etc/rsyslog.conf", "/etc/rsyslog.d", "*.conf")) {
            String text = withoutComments(Files.readString(file));
            for (String line : text.split("\n")) {
                if (LEGACY_FORWARD.matcher(line.strip()).find()) {
                    remotes.add("rsyslog forwards (" + line.strip() + ") in " + host.hostPath(file));
                }
            }
            Matcher omfwd = OMFWD.matcher(text);
            while (omfwd.find()) {
                remotes.add("rsyslog forwards to " + omfwd.group(1) + " (omfwd) in " + host.hostPath(file));
            }
        }
        for (Path file : filesOf("/etc/systemd/journal-upload.conf", "/etc/systemd/journal-upload.conf.d", "*.conf")) {
            iniValue(file, "URL").filter(url -> !url.isEmpty())
                    .ifPresent(url -> remotes.add("systemd-journal-upload sends to " + url + " (" + host.hostPath(file) + ")"));
        }
        Optional<String> forwardToSyslog = Optional.empty();
        for (Path file : filesOf("/etc/systemd/journald.conf", "/etc/systemd/journald.conf.d", "*.conf")) {
            // later files override earlier ones, as journald reads them
            Optional<String> value = iniValue(file, "ForwardToSyslog");
            if (value.isPresent()) {
                forwardToSyslog = value;
            }
        }
        String journald = "journald ForwardToSyslog=" + forwardToSyslog.orElse("no (default)");
        if (remotes.isEmpty()) {
            return Finding.warn(id, "no log copy leaves the host: no remote target in /etc/rsyslog.conf or /etc/rsyslog.d, no journal-upload URL; " + journald,
                    "Forward to a log server: set ForwardToSyslog=yes in /etc/systemd/journald.conf and add '*.* @@logs.example.org:514' "
                            + "(or an omfwd action) to /etc/rsyslog.d/90-remote.conf, or configure systemd-journal-upload's URL");
        }
        return Finding.ok(id, String.join("; ", remotes) + "; " + journald);
    }

    /** Each admin login path (PAM service) asks for a second factor a module enforces (not {@code optional}). */
    public Finding adminMfa(List<String> services)
            throws IOException
    {
        String id = "admin_mfa";
        List<String> with = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (String service : services) {
            Optional<String> factor = secondFactor(host.resolve("/etc/pam.d/" + service), 0);
            if (factor.isPresent()) {
                with.add(service + " (" + factor.get() + ")");
            }
            else {
                without.add(service);
            }
        }
        if (without.isEmpty()) {
            return Finding.ok(id, "a second factor in " + String.join(", ", with));
        }
        return Finding.warn(id, "no second factor in /etc/pam.d/" + String.join(", /etc/pam.d/", without)
                        + (with.isEmpty() ? "" : " (present in " + String.join(", ", with) + ")"),
                "Add a second factor to each, e.g. 'auth required pam_google_authenticator.so' or 'auth required pam_u2f.so' "
                        + "in /etc/pam.d/" + without.get(0) + " (for sshd also KbdInteractiveAuthentication yes and "
                        + "AuthenticationMethods publickey,keyboard-interactive); enrol each admin first so nobody is locked out");
    }

    private Optional<String> secondFactor(Path file, int depth)
            throws IOException
    {
        if (depth > 8 || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (words[0].equals("@include") && words.length > 1) {
                Optional<String> included = secondFactor(host.resolve("/etc/pam.d/" + words[1]), depth + 1);
                if (included.isPresent()) {
                    return included;
                }
                continue;
            }
            if (!words[0].replaceFirst("^-", "").equals("auth") || words.length < 3) {
                continue;
            }
            // the control is a word or a bracketed list with spaces: [success=done default=die]
            String rest = line.substring(line.indexOf(words[0]) + words[0].length()).strip();
            int controlEnd = rest.startsWith("[") && rest.indexOf(']') > 0 ? rest.indexOf(']') + 1 : rest.indexOf(' ');
            if (controlEnd <= 0) {
                continue;
            }
            String control = rest.substring(0, controlEnd);
            String[] moduleAndArguments = rest.substring(controlEnd).strip().split("\\s+");
            if (moduleAndArguments[0].isEmpty()) {
                continue;
            }
            if (control.equals("include") || control.equals("substack")) {
                Optional<String> included = secondFactor(host.resolve("/etc/pam.d/" + moduleAndArguments[0]), depth + 1);
                if (included.isPresent()) {
                    return included;
                }
                continue;
            }
            String module = Path.of(moduleAndArguments[0]).getFileName().toString();
            // nullok / nouserok let a user who never enrolled through; a bracket that ignores a failure
            // (default=ignore) works as 'sufficient' does: neither enforces the factor
            List<String> arguments = List.of(moduleAndArguments).subList(1, moduleAndArguments.length);
            boolean skippable = arguments.contains("nullok") || arguments.contains("nouserok") || control.contains("default=ignore");
            if (SECOND_FACTORS.contains(module) && !control.equals("optional") && !control.equals("sufficient") && !skippable) {
                return Optional.of(module + " in " + host.hostPath(file));
            }
        }
        return Optional.empty();
    }

    private List<Path> filesOf(String mainFile, String folder, String glob)
            throws IOException
    {
        List<Path> files = new ArrayList<>();
        Path main = host.resolve(mainFile);
        if (Files.isRegularFile(main)) {
            files.add(main);
        }
        Path directory = host.resolve(folder);
        if (Files.isDirectory(directory)) {
            List<Path> more = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, glob)) {
                stream.forEach(more::add);
            }
            more.sort(null);
            files.addAll(more);
        }
        return files;
    }

    private static Optional<String> iniValue(Path file, String key)
            throws IOException
    {
        Optional<String> value = Optional.empty();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            int equals = line.indexOf('=');
            if (line.startsWith("#") || line.startsWith(";") || equals < 0) {
                continue;
            }
            if (line.substring(0, equals).strip().equals(key)) {
                value = Optional.of(line.substring(equals + 1).strip().toLowerCase(Locale.ROOT).equals("yes") ? "yes" : line.substring(equals + 1).strip());
            }
        }
        return value;
    }

    private static String withoutComments(String text)
    {
        StringBuilder result = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.strip().startsWith("#")) {
                result.append(line).append('\n');
            }
        }
        return result.toString();
    }
}
