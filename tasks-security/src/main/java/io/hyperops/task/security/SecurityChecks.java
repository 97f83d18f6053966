package io.hyperops.task.security;

import io.hyperops.spi.BackupStorage;
import io.hyperops.spi.EngineFacts;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JobHistory;
import io.hyperops.spi.JsonFiles;
import io.hyperops.task.security.check.AccessChecks;
import io.hyperops.task.security.check.BackupCheck;
import io.hyperops.task.security.check.ConfigChecks;
import io.hyperops.task.security.check.GuestChecks;
import io.hyperops.task.security.check.GuestSource;
import io.hyperops.task.security.check.HostChecks;
import io.hyperops.task.security.check.QemuImg;
import io.hyperops.task.security.polkit.PolkitRules;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Every posture check, in report order, built for one run's settings. */
public final class SecurityChecks
{
    // the backup task's folder (its backup_dir) when it is installed; else the seed's <data_dir>/backups
    // the engine's groups, config file and socket, for the settings that leave them unset
    private final EngineFacts engine;
    private final Optional<BackupStorage> backups;
    private final HostPaths paths;
    private final JsonFiles jsonFiles;
    private final JobHistory history;
    private final GuestSource guests;

    @Inject
    public SecurityChecks(HostPaths paths, JsonFiles jsonFiles, JobHistory history, GuestSource guests, Optional<BackupStorage> backups, EngineFacts engine)
    {
        this.engine = requireNonNull(engine, "engine is null");
        this.backups = requireNonNull(backups, "backups is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.jsonFiles = requireNonNull(jsonFiles, "jsonFiles is null");
        this.history = requireNonNull(history, "history is null");
        this.guests = requireNonNull(guests, "guests is null");
    }

    public List<SecurityCheck> all(SecurityAuditSettings configured, Clock clock)
    {
        SecurityAuditSettings settings = configured.withEngine(engine);
        HostRoot host = settings.host();
        HostChecks hostChecks = new HostChecks(host, settings.sshdConfig());
        GuestChecks guestChecks = new GuestChecks(host, guests, new QemuImg(settings.qemuImgTimeout()));
        ConfigChecks configChecks = new ConfigChecks(host);
        AccessChecks accessChecks = new AccessChecks(host);
        BackupCheck backupCheck = new BackupCheck(host, jsonFiles, history);
        List<Path> keyFiles = new ArrayList<>(settings.keyFiles());
        keyFiles.add(0, settings.backupKeyFile());
        return List.of(
                new SecurityCheck("apparmor", hostChecks::apparmor),
                new SecurityCheck("sshd_password_authentication", hostChecks::sshdPasswordAuthentication),
                new SecurityCheck("sshd_permit_root_login", hostChecks::sshdPermitRootLogin),
                new SecurityCheck("auditd", hostChecks::auditd),
                new SecurityCheck("vm_disk_encryption", () -> guestChecks.diskEncryption(settings.imageFolders())),
                new SecurityCheck("backup_encryption", () -> backupCheck.check(backups.map(BackupStorage::root).orElse(paths.dataDir().resolve("backups")), settings.backupKeyFile(),
                        settings.backupVerifyJob(), settings.backupVerifyMaxAge(), clock.instant())),
                new SecurityCheck("centralized_logging", configChecks::centralLogging),
                new SecurityCheck("admin_mfa", () -> configChecks.adminMfa(settings.pamServices())),
                new SecurityCheck("guest_network_isolation", () -> guestChecks.networkIsolation(settings.uplinkBridges(), settings.bridgedGuests())),
                new SecurityCheck("libvirt_socket_permissions", () -> accessChecks.libvirtSockets(settings.libvirtSockets(), settings.libvirtdConfig())),
                new SecurityCheck("libvirt_access_control", () -> accessChecks.libvirtAccessControl(settings.libvirtSockets(), settings.libvirtdConfig(), settings.polkitRulesFile(),
                        new PolkitRules(settings.operatorGroup(), settings.adminGroup()))),
                new SecurityCheck("hyperops_files", () -> accessChecks.ownFiles(paths, settings.configFile(), settings.controlSocket(), keyFiles)));
    }
}
