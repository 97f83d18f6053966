package io.hyperops.task.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.spi.BackupStorage;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunOutcome;
import io.hyperops.task.security.polkit.PolkitRules;
import io.hyperops.testing.TestingEngineFacts;
import io.hyperops.testing.TestingJsonFiles;
import io.hyperops.testing.TestingRunContext;import io.hyperops.testing.TestingTextFiles;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.hyperops.spi.RunOutcome.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole audit aimed at prepared host trees: a weak one (password login, a world-readable key, an
 * unencrypted qcow2 from the real qemu-img, ...) and a hardened one (LUKS images from the real qemu-img).
 */
final class TestSecurityAudit
{
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final String OPERATOR_GROUP = "hypervisor-operator";
    private static final String ADMIN_GROUP = "wheel";

    @TempDir
    Path folder;

    private TestingHostTree tree;
    private HostPaths paths;
    private final TestingJsonFiles jsonFiles = new TestingJsonFiles();
    private final TestingJobHistory history = new TestingJobHistory();
    private final TestingGuestSource guests = new TestingGuestSource();
    private Optional<BackupStorage> backupStorage = Optional.empty();

    @BeforeEach
    void paths()
            throws IOException
    {
        tree = new TestingHostTree(folder.resolve("root"));
        Path data = folder.resolve("data");
        paths = new HostPaths(data, data.resolve("hyperops"), data.resolve("logs"));
        Files.createDirectories(paths.stateDir());
        Files.createDirectories(paths.logDir());
        Files.setPosixFilePermissions(paths.stateDir(), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(paths.logDir(), PosixFilePermissions.fromString("rwxr-x---"));
    }

    @Test
    void aWeakHostIsReportedWithAFixForEachProblem()
            throws Exception
    {
        tree.file("/sys/module/apparmor/parameters/enabled", "N\n");
        tree.file("/etc/ssh/sshd_config", "# weak\nPort 22\nPasswordAuthentication yes\nPermitRootLogin yes\n");
        tree.folder("/proc", "rwxr-xr-x");
        tree.plainQcow2("/var/lib/hypervisor/disks/web.qcow2");
        guests.guest(TestingGuestSource.domainXml("web", "/var/lib/hypervisor/disks/web.qcow2",
                "<interface type='bridge'><source bridge='br0'/><model type='virtio'/></interface>"));
        backup("web", "20261125-020000", false);
        tree.file("/etc/rsyslog.conf", "*.* /var/log/syslog\n");
        tree.file("/etc/pam.d/sshd", "@include common-auth\n");
        tree.file("/etc/pam.d/common-auth", "auth [success=1 default=ignore] pam_unix.so nullok\n");
        tree.file("/run/libvirt/libvirt-sock", "", "rw-rw-rw-");
        tree.file("/etc/libvirt/libvirtd.conf", "#access_drivers = [ \"polkit\" ]\nauth_unix_rw = \"none\"\n");
        // a secret key exported into the recipients' file by mistake: it must not be readable by all
        tree.file("/etc/hypervisor/backup-keys.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n", "rw-r--r--");
        tree.file("/etc/hypervisor/hyperops.json", "{}\n", "rw-r--r--");

        JobResult result = audit(settings());

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RunOutcome.FAILED);
        JsonNode status = status();
        Map<String, JsonNode> findings = findings(status);
        assertThat(findings.get("sshd_password_authentication").path("severity").asText()).isEqualTo("WARN");
        assertThat(findings.get("sshd_password_authentication").path("evidence").asText()).contains("PasswordAuthentication yes at /etc/ssh/sshd_config:3");
        assertThat(findings.get("sshd_password_authentication").path("fix").asText()).contains("PasswordAuthentication no");
        assertThat(findings.get("sshd_permit_root_login").path("severity").asText()).isEqualTo("WARN");
        assertThat(findings.get("sshd_permit_root_login").path("fix").asText()).contains("PermitRootLogin no");
        assertThat(findings.get("hyperops_files").path("severity").asText()).isEqualTo("ERROR");
        assertThat(findings.get("hyperops_files").path("evidence").asText()).contains("key file /etc/hypervisor/backup-keys.asc is readable by every user");
        assertThat(findings.get("hyperops_files").path("fix").asText()).contains("chmod 0640 /etc/hypervisor/backup-keys.asc");
        assertThat(findings.get("vm_disk_encryption").path("severity").asText()).isEqualTo("WARN");
        assertThat(findings.get("vm_disk_encryption").path("evidence").asText()).contains("/var/lib/hypervisor/disks/web.qcow2 (qcow2, not encrypted)");
        assertThat(findings.get("vm_disk_encryption").path("fix").asText()).contains("encrypt.format=luks");
        assertThat(findings.get("apparmor").path("severity").asText()).isEqualTo("WARN");
        assertThat(findings.get("auditd").path("severity").asText()).isEqualTo("WARN");
        assertThat(findings.get("backup_encryption").path("evidence").asText()).contains("web/20261125-020000");
        assertThat(findings.get("centralized_logging").path("severity").asText()).isEqualTo("WARN");
        assertThat(findings.get("admin_mfa").path("evidence").asText()).contains("/etc/pam.d/sshd", "/etc/pam.d/sudo");
        assertThat(findings.get("guest_network_isolation").path("evidence").asText()).contains("web on uplink bridge br0");
        assertThat(findings.get("libvirt_socket_permissions").path("severity").asText()).isEqualTo("ERROR");
        assertThat(findings.get("libvirt_access_control").path("fix").asText()).contains("hyperops security polkit-rules");
        for (JsonNode finding : findings.values()) {
            if (!finding.path("severity").asText().equals("OK")) {
                assertThat(finding.path("fix").asText()).as(finding.path("id").asText()).isNotBlank();
            }
        }
        // 2 ERRORs (own files, libvirt socket) and 10 WARNs would go below zero: the score stops at 0
        assertThat(status.path("errors").asInt()).isEqualTo(2);
        assertThat(status.path("warnings").asInt()).isEqualTo(10);
        assertThat(status.path("score").asInt()).isZero();
        assertThat(status.path("overall_status").asText()).isEqualTo("ERROR");
        assertThat(Files.readString(paths.dataDir().resolve("node-exporter/hyperops_security.prom")))
                .contains("hyperops_security_check_status{check=\"hyperops_files\"} 3", "hyperops_security_score 0");
    }

    @Test
    void aHardenedHostPasses()
            throws Exception
    {
        tree.file("/sys/module/apparmor/parameters/enabled", "Y\n");
        tree.file("/etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication yes\n");
        tree.file("/etc/ssh/sshd_config.d/50-hardening.conf", "PasswordAuthentication no\nPermitRootLogin no\n\nMatch User backup\n    PasswordAuthentication no\n");
        tree.file("/proc/321/comm", "auditd\n");
        tree.file("/etc/audit/rules.d/hyperops.rules", "-w /etc/hypervisor -p wa -k hypervisor-config\n-w /etc/sudoers -p wa -k sudo-command\n");
        Path passphrase = tree.file("/etc/hypervisor/disk-passphrase", "correct horse battery staple", "rw-------");
        tree.luksQcow2("/var/lib/hypervisor/disks/web.qcow2", passphrase);
        tree.luksRaw("/var/lib/hypervisor/disks/db.luks", passphrase);
        guests.guest(TestingGuestSource.domainXml("web", "/var/lib/hypervisor/disks/web.qcow2",
                "<interface type='network'><source network='default'/></interface>"));
        guests.network("default", "<network><name>default</name><forward mode='nat'/><bridge name='virbr0'/></network>");
        backup("web", "20261120-020000", false);
        backup("web", "20261125-020000", true);
        // public keys only: readable by all, as the backup task says it may be
        tree.file("/etc/hypervisor/backup-keys.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n", "rw-r--r--");
        history.run("backup-verify", RunOutcome.FAILED, NOW.minus(Duration.ofDays(2))).run("backup-verify", SUCCESS, NOW.minus(Duration.ofDays(1)));
        tree.file("/etc/systemd/journald.conf", "[Journal]\nForwardToSyslog=yes\n");
        tree.file("/etc/rsyslog.d/90-remote.conf", "*.* @@logs.example.org:514\n");
        tree.file("/etc/pam.d/sshd", "auth required pam_google_authenticator.so nullok\n@include common-auth\n");
        tree.file("/etc/pam.d/sudo", "@include common-auth\n");
        tree.file("/etc/pam.d/common-auth", "auth required pam_unix.so\nauth required pam_u2f.so cue\n");
        // libvirt opens the socket to all when polkit authorizes each connection
        tree.file("/run/libvirt/libvirt-sock", "", "rwxrwxrwx");
        tree.file("/etc/libvirt/libvirtd.conf", "access_drivers = [ \"polkit\" ]\n");
        tree.file("/etc/polkit-1/rules.d/50-hyperops-libvirt.rules", new PolkitRules(OPERATOR_GROUP, ADMIN_GROUP).render());
        // as NixOS installs it: a link into the read-only store (a link's own mode is rwxrwxrwx)
        tree.file("/nix/store/0123abcd-hyperops.json", "{}\n", "r--r--r--");
        Files.createSymbolicLink(tree.path("/etc/hypervisor/hyperops.json"), Path.of("../../nix/store/0123abcd-hyperops.json"));

        JobResult result = audit(settings());

        assertThat(result.outcome()).as(status().toPrettyString()).isEqualTo(SUCCESS);
        JsonNode status = status();
        for (JsonNode finding : findings(status).values()) {
            assertThat(finding.path("severity").asText()).as(finding.toString()).isEqualTo("OK");
            assertThat(finding.path("fix").isNull()).as(finding.toString()).isTrue();
        }
        assertThat(findings(status)).hasSize(12);
        assertThat(findings(status).get("vm_disk_encryption").path("evidence").asText())
                .contains("2 image(s), all LUKS-encrypted", "/var/lib/hypervisor/disks/web.qcow2", "/var/lib/hypervisor/disks/db.luks");
        assertThat(status.path("score").asInt()).isEqualTo(100);
        assertThat(result.details()).containsEntry("score", 100);
        assertThat(Files.readString(paths.dataDir().resolve("node-exporter/hyperops_security.prom")))
                .contains("hyperops_security_score 100", "hyperops_security_overall_status 0");
    }

    @Test
    void warningsAloneEndInWarning()
            throws Exception
    {
        tree.file("/sys/module/apparmor/parameters/enabled", "Y\n");

        JobResult result = audit(TestingSettings.of(SecurityAuditSettings.class, "root", tree.root(),
                "disabledChecks", java.util.List.of("sshd_password_authentication", "sshd_permit_root_login", "auditd", "vm_disk_encryption",
                        "backup_encryption", "admin_mfa", "guest_network_isolation", "libvirt_socket_permissions", "libvirt_access_control",
                        "hyperops_files")));

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RunOutcome.WARNING);
        assertThat(findings(status())).containsOnlyKeys("apparmor", "centralized_logging");
        assertThat(status().path("score").asInt()).isEqualTo(90);
    }

    @Test
    void anUnknownCheckIdFailsTheRunAndNamesTheKnownOnes()
            throws Exception
    {
        JobResult result = audit(TestingSettings.of(SecurityAuditSettings.class, "root", tree.root(), "disabledChecks", java.util.List.of("sshd")));

        assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(result.summary()).contains("unknown check id(s) sshd", "sshd_password_authentication");
    }

    @Test
    void backupsAreLookedForInTheBackupTasksFolder()
            throws Exception
    {
        Path elsewhere = tree.root().resolve("srv/backups");
        backupStorage = Optional.of(new BackupStorage()
        {
            @Override
            public Path root()
            {
                return elsewhere;
            }

            @Override
            public void delete(String vm, Path folder)
            {
                throw new UnsupportedOperationException("the audit deletes nothing");
            }
        });
        backup("db", "20261126-020000-2", false);

        audit(settings());

        JsonNode finding = findings(status()).get("backup_encryption");
        assertThat(finding.path("severity").asText()).isEqualTo("WARN");
        assertThat(finding.path("evidence").asText()).contains("newest backup not encrypted: db/20261126-020000-2");
    }

    private SecurityAuditSettings settings()
    {
        return TestingSettings.of(SecurityAuditSettings.class, "root", tree.root(), "operatorGroup", OPERATOR_GROUP, "adminGroup", ADMIN_GROUP);
    }

    private JobResult audit(SecurityAuditSettings settings)
            throws Exception
    {
        SecurityAuditService service = new SecurityAuditService(new SecurityChecks(paths, jsonFiles, history, guests, backupStorage, TestingEngineFacts.defaults()), paths, jsonFiles, new TestingTextFiles());
        return service.audit(settings, new TestingRunContext("security-audit", settings, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private void backup(String vm, String timestamp, boolean encrypted)
            throws IOException
    {
        Path backup = backupStorage.map(BackupStorage::root).orElse(paths.dataDir().resolve("backups")).resolve(vm).resolve(timestamp);
        Files.createDirectories(backup);
        Files.writeString(backup.resolve("backup-info.json"),
                "{\"vm_name\": \"" + vm + "\", \"timestamp\": \"" + timestamp + "\", \"disk_count\": 1, \"compressed\": true, \"encrypted\": " + encrypted + "}");
    }

    private JsonNode status()
            throws IOException
    {
        return new ObjectMapper().readTree(paths.dataDir().resolve("security-status.json").toFile());
    }

    private static Map<String, JsonNode> findings(JsonNode status)
    {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        status.path("findings").forEach(finding -> byId.put(finding.path("id").asText(), finding));
        return byId;
    }
}
