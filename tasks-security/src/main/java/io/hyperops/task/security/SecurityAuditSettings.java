package io.hyperops.task.security;

import io.hyperops.spi.Description;
import io.hyperops.spi.EngineFacts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the {@code security-audit} job. Host paths here are read under {@code root}; the engine's
 * own folders (data, state, logs) are used as the engine has them.
 */
@Description("Checks the host's security posture (sshd, AppArmor, auditd, disk and backup encryption, central logging, MFA, guest isolation, libvirt access, hyperops's own files) and writes security-status.json and a Prometheus text file.")
public record SecurityAuditSettings(
        @Description("Folder the host's files are read under: / on a host, a prepared tree in tests. Default /.")
        Path root,
        @Description("sshd's config file; Include and Match blocks are followed. Default /etc/ssh/sshd_config.")
        Path sshdConfig,
        @Description("Folders whose disk images (*.qcow2, *.img, *.raw) must be encrypted, besides every guest's own disks. Default [/var/lib/hypervisor/disks].")
        List<Path> imageFolders,
        @Description("The key backups are encrypted to (e.g. the gpg public key); it must be present; readable by all only when it holds public keys alone. Default /etc/hypervisor/backup-keys.asc.")
        Path backupKeyFile,
        @Description("The job whose successful run shows backups can be decrypted with that key. Default backup-verify.")
        String backupVerifyJob,
        @Description("backup_encryption: the last successful run of backup_verify_job must be younger than this. Default 8d.")
        Duration backupVerifyMaxAge,
        @Description("PAM services admins log in through; each needs a second factor (pam_google_authenticator, pam_u2f, pam_oath, pam_yubico, pam_duo). Default [sshd, sudo].")
        List<String> pamServices,
        @Description("The host's uplink bridges: a guest plugged straight into one shares the host's LAN and is not isolated. Default [br0].")
        List<String> uplinkBridges,
        @Description("Guests allowed on an uplink bridge on purpose (by name); reported as INFO instead of WARN.")
        List<String> bridgedGuests,
        @Description("libvirt's read-write sockets; none may be open to others while its daemon's auth_unix_rw is none. Default [/run/libvirt/libvirt-sock, /run/libvirt/virtqemud-sock].")
        List<Path> libvirtSockets,
        @Description("libvirtd's config file, where access_drivers = [ \"polkit\" ] turns on the operator limits. Default /etc/libvirt/libvirtd.conf.")
        Path libvirtdConfig,
        @Description("Where the rules of `hyperops security polkit-rules` are installed; the audit compares it with what this version renders. Default /etc/polkit-1/rules.d/50-hyperops-libvirt.rules.")
        Path polkitRulesFile,
        @Description("Group of operators in the polkit rules. Default: engine.operator_group.")
        String operatorGroup,
        @Description("Group of admins in the polkit rules, besides root. Default: engine.admin_group.")
        String adminGroup,
        @Description("hyperops's config file: must not be writable by others. Default: the file the engine reads.")
        Path configFile,
        @Description("hyperops's control socket: must not be writable by others. Default: engine.control_socket.")
        Path controlSocket,
        @Description("Further key files that must be readable by their owner and group only, e.g. TLS keys.")
        List<Path> keyFiles,
        @Description("Checks to leave out, by id, e.g. [\"admin_mfa\"].")
        List<String> disabledChecks,
        @Description("Time-out of one `qemu-img info`. Default 30s.")
        Duration qemuImgTimeout,
        @Description("Write the Prometheus text file for node_exporter's textfile collector. Default true.")
        Boolean prometheusTextfile,
        @Description("Where the Prometheus text file goes; relative paths are under the data folder. Default node-exporter/hyperops_security.prom.")
        Path prometheusFile)
{
    public SecurityAuditSettings
    {
        root = root == null ? Path.of("/") : root;
        sshdConfig = absolute("sshd_config", sshdConfig, "/etc/ssh/sshd_config");
        imageFolders = absolutePaths("image_folders", imageFolders, List.of(Path.of("/var/lib/hypervisor/disks")));
        backupKeyFile = absolute("backup_key_file", backupKeyFile, "/etc/hypervisor/backup-keys.asc");
        backupVerifyJob = backupVerifyJob == null ? "backup-verify" : backupVerifyJob;
        backupVerifyMaxAge = positive("backup_verify_max_age", backupVerifyMaxAge, Duration.ofDays(8));
        pamServices = List.copyOf(pamServices == null ? List.of("sshd", "sudo") : pamServices);
        uplinkBridges = List.copyOf(uplinkBridges == null ? List.of("br0") : uplinkBridges);
        bridgedGuests = List.copyOf(bridgedGuests == null ? List.of() : bridgedGuests);
        libvirtSockets = absolutePaths("libvirt_sockets", libvirtSockets,
                List.of(Path.of("/run/libvirt/libvirt-sock"), Path.of("/run/libvirt/virtqemud-sock")));
        libvirtdConfig = absolute("libvirtd_config", libvirtdConfig, "/etc/libvirt/libvirtd.conf");
        polkitRulesFile = absolute("polkit_rules_file", polkitRulesFile, "/etc/polkit-1/rules.d/50-hyperops-libvirt.rules");
        // unset, these four are the engine's own (withEngine): a second default here would drift from engine.*
        operatorGroup = operatorGroup == null ? null : group("operator_group", operatorGroup);
        adminGroup = adminGroup == null ? null : group("admin_group", adminGroup);
        configFile = configFile == null ? null : absolute("config_file", configFile, null);
        controlSocket = controlSocket == null ? null : absolute("control_socket", controlSocket, null);
        keyFiles = absolutePaths("key_files", keyFiles, List.of());
        disabledChecks = List.copyOf(disabledChecks == null ? List.of() : disabledChecks);
        qemuImgTimeout = positive("qemu_img_timeout", qemuImgTimeout, Duration.ofSeconds(30));
        prometheusTextfile = prometheusTextfile == null || prometheusTextfile;
        prometheusFile = prometheusFile == null ? Path.of("node-exporter/hyperops_security.prom") : prometheusFile;
        if (operatorGroup != null && operatorGroup.equals(adminGroup)) {
            throw new IllegalArgumentException("operator_group and admin_group must differ, both are '" + operatorGroup + "'");
        }
    }

    /** Every setting at its default. */
    public static SecurityAuditSettings defaults()
    {
        return new SecurityAuditSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same settings with other groups, validated as in the config file. */
    public SecurityAuditSettings withGroups(String operatorGroup, String adminGroup)
    {
        return new SecurityAuditSettings(root, sshdConfig, imageFolders, backupKeyFile, backupVerifyJob, backupVerifyMaxAge, pamServices, uplinkBridges,
                bridgedGuests, libvirtSockets, libvirtdConfig, polkitRulesFile, operatorGroup, adminGroup, configFile, controlSocket, keyFiles,
                disabledChecks, qemuImgTimeout, prometheusTextfile, prometheusFile);
    }

    public HostRoot host()
    {
        return new HostRoot(root);
    }

    private static Path absolute(String name, Path value, String fallback)
    {
        Path result = value == null ? Path.of(fallback) : value;
        if (!result.isAbsolute()) {
            throw new IllegalArgumentException(name + " must be an absolute path, was '" + result + "'");
        }
        return result;
    }

    private static List<Path> absolutePaths(String name, List<Path> values, List<Path> fallback)
    {
        List<Path> result = List.copyOf(values == null ? fallback : values);
        for (Path value : result) {
            absolute(name, value, null);
        }
        return result;
    }

    private static Duration positive(String name, Duration value, Duration fallback)
    {
        Duration result = value == null ? fallback : value;
        if (result.isNegative() || result.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than zero, was " + result);
        }
        return result;
    }

    /** These settings with what is unset taken from the engine's: its groups, config file and socket. */
    public SecurityAuditSettings withEngine(EngineFacts engine)
    {
        return new SecurityAuditSettings(root, sshdConfig, imageFolders, backupKeyFile, backupVerifyJob, backupVerifyMaxAge, pamServices, uplinkBridges, bridgedGuests,
                libvirtSockets, libvirtdConfig, polkitRulesFile,
                operatorGroup == null ? engine.operatorGroup() : operatorGroup,
                adminGroup == null ? engine.adminGroup() : adminGroup,
                configFile == null ? engine.configFile().toAbsolutePath() : configFile,
                controlSocket == null ? engine.controlSocket().toAbsolutePath() : controlSocket,
                keyFiles, disabledChecks, qemuImgTimeout, prometheusTextfile, prometheusFile);
    }

    private static String group(String name, String value)
    {
        String result = value;
        // the name lands in a JavaScript string of the polkit rules: keep it to what groupadd accepts
        if (!result.matches("[a-z_][a-z0-9_.-]*\\$?")) {
            throw new IllegalArgumentException(name + " '" + result + "' is not a valid group name (lower-case letters, digits, '_', '.', '-')");
        }
        return result;
    }
}
