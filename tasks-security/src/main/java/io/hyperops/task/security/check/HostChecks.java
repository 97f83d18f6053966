package io.hyperops.task.security.check;

import io.hyperops.spi.CheckStatus;
import io.hyperops.task.security.Finding;
import io.hyperops.task.security.HostRoot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** The seed's security checks of the host itself: AppArmor, sshd, auditd. */
public final class HostChecks
{
    private final HostRoot host;
    private final Path sshdConfig;

    public HostChecks(HostRoot host, Path sshdConfig)
    {
        this.host = requireNonNull(host, "host is null");
        this.sshdConfig = requireNonNull(sshdConfig, "sshdConfig is null");
    }

    public Finding apparmor()
            throws IOException
    {
        Path enabled = host.resolve("/sys/module/apparmor/parameters/enabled");
        String fix = "Enable AppArmor: install the apparmor package and boot with apparmor=1 security=apparmor (NixOS: security.apparmor.enable = true)";
        if (!Files.isRegularFile(enabled)) {
            return Finding.warn("apparmor", "AppArmor is not in the kernel: " + host.hostPath(enabled) + " does not exist", fix);
        }
        String value = Files.readString(enabled).strip();
        if (value.equals("Y")) {
            return Finding.ok("apparmor", "AppArmor is enabled (" + host.hostPath(enabled) + " = Y)");
        }
        return Finding.warn("apparmor", "AppArmor is disabled (" + host.hostPath(enabled) + " = " + value + ")", fix);
    }

    public Finding sshdPasswordAuthentication()
            throws IOException
    {
        String id = "sshd_password_authentication";
        Optional<SshdConfig> config = SshdConfig.read(host, sshdConfig);
        if (config.isEmpty()) {
            return Finding.info(id, "No " + sshdConfig + ": sshd is not configured on this host");
        }
        String fix = "Set 'PasswordAuthentication no' and 'KbdInteractiveAuthentication no' near the top of " + sshdConfig + " (before any Match block), remove "
                + "'yes' for either from Match blocks and included files, then reload sshd (NixOS: services.openssh.settings.PasswordAuthentication = false and "
                + "KbdInteractiveAuthentication = false); for a second factor through PAM, keep keyboard-interactive behind a key: "
                + "'AuthenticationMethods publickey,keyboard-interactive'";
        List<String> problems = new ArrayList<>(passwordPaths(config.get(), Optional.empty()));
        // a Match block's values override the global ones for the connections it takes
        Set<String> matches = new LinkedHashSet<>();
        for (String keyword : PASSWORD_KEYWORDS) {
            config.get().inMatchBlocks(keyword).forEach(setting -> matches.add(setting.match().orElseThrow()));
        }
        for (String match : matches) {
            passwordPaths(config.get(), Optional.of(match)).forEach(path -> problems.add(path + " in " + match));
        }
        if (problems.isEmpty()) {
            return Finding.ok(id, "no password alone opens sshd: " + String.join("; ", describeGlobal(config.get())));
        }
        return Finding.warn(id, "sshd accepts passwords: " + String.join("; ", problems), fix);
    }

    private static final List<String> PASSWORD_KEYWORDS = List.of("PasswordAuthentication", "KbdInteractiveAuthentication", "ChallengeResponseAuthentication", "AuthenticationMethods");

    /**
     * How a password alone opens sshd, for the connections {@code match} takes (every connection when
     * empty). Two ways: PasswordAuthentication, and keyboard-interactive through PAM, whose auth stack
     * asks for the Unix password (KbdInteractiveAuthentication, OpenSSH's default yes, with UsePAM yes,
     * Debian's setting). AuthenticationMethods that puts publickey in every chain makes either a second
     * factor, never enough alone.
     */
    private static List<String> passwordPaths(SshdConfig config, Optional<String> match)
    {
        Optional<SshdConfig.Setting> methods = value(config, match, "AuthenticationMethods");
        if (methods.isPresent() && keyInEveryChain(methods.get().value())) {
            return List.of();
        }
        List<String> paths = new ArrayList<>();
        Optional<SshdConfig.Setting> password = value(config, match, "PasswordAuthentication");
        if (password.isEmpty()) {
            paths.add("PasswordAuthentication is not set, and OpenSSH's default is yes");
        }
        else if (!password.get().value().equalsIgnoreCase("no")) {
            paths.add("PasswordAuthentication " + password.get().value() + " at " + password.get().location());
        }
        // UsePAM applies to every connection: sshd refuses it in a Match block
        Optional<SshdConfig.Setting> pam = config.global("UsePAM");
        if (pam.isPresent() && pam.get().value().equalsIgnoreCase("yes")) {
            Optional<SshdConfig.Setting> keyboard = value(config, match, "KbdInteractiveAuthentication").or(() -> value(config, match, "ChallengeResponseAuthentication"));
            if (keyboard.isEmpty()) {
                paths.add("keyboard-interactive through PAM asks for the password (KbdInteractiveAuthentication is not set, and OpenSSH's default is yes; UsePAM yes at "
                        + pam.get().location() + ")");
            }
            else if (!keyboard.get().value().equalsIgnoreCase("no")) {
                paths.add("keyboard-interactive through PAM asks for the password (" + keyboard.get().keyword() + " " + keyboard.get().value() + " at " + keyboard.get().location()
                        + ", UsePAM yes at " + pam.get().location() + ")");
            }
        }
        return paths;
    }

    /** The value for the connections a Match block takes: the block's own, else every connection's. */
    private static Optional<SshdConfig.Setting> value(SshdConfig config, Optional<String> match, String keyword)
    {
        if (match.isPresent()) {
            Optional<SshdConfig.Setting> inBlock = config.inMatchBlocks(keyword).stream().filter(setting -> setting.match().equals(match)).findFirst();
            if (inBlock.isPresent()) {
                return inBlock;
            }
        }
        return config.global(keyword);
    }

    /** AuthenticationMethods: chains separated by spaces, methods in a chain by commas; "any" is no rule. */
    private static boolean keyInEveryChain(String methods)
    {
        List<String> chains = List.of(methods.strip().split("\\s+"));
        return !methods.isBlank() && !methods.strip().equalsIgnoreCase("any")
                && chains.stream().allMatch(chain -> List.of(chain.split(",")).stream().anyMatch(method -> method.strip().equals("publickey")));
    }

    private static List<String> describeGlobal(SshdConfig config)
    {
        List<String> said = new ArrayList<>();
        for (String keyword : List.of("PasswordAuthentication", "KbdInteractiveAuthentication", "UsePAM", "AuthenticationMethods")) {
            config.global(keyword).ifPresent(setting -> said.add(setting.keyword() + " " + setting.value() + " at " + setting.location()));
        }
        return said;
    }

    public Finding sshdPermitRootLogin()
            throws IOException
    {
        String id = "sshd_permit_root_login";
        Optional<SshdConfig> config = SshdConfig.read(host, sshdConfig);
        if (config.isEmpty()) {
            return Finding.info(id, "No " + sshdConfig + ": sshd is not configured on this host");
        }
        String fix = "Set 'PermitRootLogin no' near the top of " + sshdConfig + " (before any Match block) and in Match blocks, then reload sshd; "
                + "admins log in as themselves and use sudo (NixOS: services.openssh.settings.PermitRootLogin = \"no\")";
        List<SshdConfig.Setting> values = new ArrayList<>();
        config.get().global("PermitRootLogin").ifPresent(values::add);
        values.addAll(config.get().inMatchBlocks("PermitRootLogin"));
        List<String> open = new ArrayList<>();
        List<String> keyOnly = new ArrayList<>();
        if (config.get().global("PermitRootLogin").isEmpty()) {
            keyOnly.add("PermitRootLogin is not set, and OpenSSH's default is prohibit-password");
        }
        for (SshdConfig.Setting setting : values) {
            String where = "PermitRootLogin " + setting.value() + " at " + setting.location() + setting.match().map(match -> " in " + match).orElse("");
            switch (setting.value().toLowerCase(Locale.ROOT)) {
                case "no" -> { }
                case "prohibit-password", "without-password", "forced-commands-only" -> keyOnly.add(where);
                default -> open.add(where);
            }
        }
        if (!open.isEmpty()) {
            return Finding.warn(id, "root may log in with a password: " + String.join("; ", open), fix);
        }
        if (!keyOnly.isEmpty()) {
            return new Finding(id, CheckStatus.INFO, "root may log in with a key: " + String.join("; ", keyOnly), Optional.of(fix));
        }
        return Finding.ok(id, "PermitRootLogin no at " + values.get(0).location());
    }

    public Finding auditd()
            throws IOException
    {
        String id = "auditd";
        boolean running = processRunning("auditd");
        List<String> ruleFiles = new ArrayList<>();
        int rules = countRules(host.resolve("/etc/audit/audit.rules"), ruleFiles);
        Path rulesFolder = host.resolve("/etc/audit/rules.d");
        if (Files.isDirectory(rulesFolder)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(rulesFolder, "*.rules")) {
                for (Path file : stream) {
                    rules += countRules(file, ruleFiles);
                }
            }
        }
        if (!running) {
            return Finding.warn(id, "auditd is not running (no auditd process in " + host.hostPath(host.resolve("/proc")) + ")",
                    "Install and start auditd: apt-get install auditd && systemctl enable --now auditd (NixOS: security.auditd.enable = true, security.audit.enable = true)");
        }
        if (rules == 0) {
            return Finding.warn(id, "auditd runs but has no rules (/etc/audit/audit.rules, /etc/audit/rules.d/*.rules)",
                    "Add the seed's rules to /etc/audit/rules.d/hyperops.rules, e.g. '-w /etc/hypervisor -p wa -k hypervisor-config', "
                            + "'-w /usr/bin/virsh -p x -k vm-operation', '-w /etc/sudoers -p wa -k sudo-command', then run augenrules --load");
        }
        return Finding.ok(id, "auditd runs with " + rules + " rule(s) in " + String.join(", ", ruleFiles));
    }

    private boolean processRunning(String name)
            throws IOException
    {
        Path proc = host.resolve("/proc");
        if (!Files.isDirectory(proc)) {
            return false;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(proc, entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : stream) {
                try {
                    if (Files.readString(process.resolve("comm")).strip().equals(name)) {
                        return true;
                    }
                }
                catch (NoSuchFileException e) {
                    // the process ended between the listing and the read
                }
            }
        }
        return false;
    }

    private int countRules(Path file, List<String> ruleFiles)
            throws IOException
    {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        int count = (int) Files.readAllLines(file).stream()
                .map(String::strip)
                .filter(line -> line.startsWith("-w ") || line.startsWith("-a "))
                .count();
        if (count > 0) {
            ruleFiles.add(host.hostPath(file));
        }
        return count;
    }
}
