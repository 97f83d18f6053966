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
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
        String fix = "Set 'PasswordAuthentication no' near the top of " + sshdConfig + " (before any Match block), remove 'PasswordAuthentication yes' "
                + "from Match blocks and included files, then reload sshd (NixOS: services.openssh.settings.PasswordAuthentication = false)";
        List<String> problems = new ArrayList<>();
        Optional<SshdConfig.Setting> global = config.get().global("PasswordAuthentication");
        if (global.isEmpty()) {
            problems.add("PasswordAuthentication is not set, and OpenSSH's default is yes");
        }
        else if (!global.get().value().equalsIgnoreCase("no")) {
            problems.add("PasswordAuthentication " + global.get().value() + " at " + global.get().location());
        }
        for (SshdConfig.Setting setting : config.get().inMatchBlocks("PasswordAuthentication")) {
            if (!setting.value().equalsIgnoreCase("no")) {
                problems.add("PasswordAuthentication " + setting.value() + " at " + setting.location() + " in " + setting.match().orElseThrow());
            }
        }
        if (problems.isEmpty()) {
            return Finding.ok(id, "PasswordAuthentication no at " + global.orElseThrow().location());
        }
        return Finding.warn(id, "sshd accepts passwords: " + String.join("; ", problems), fix);
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
