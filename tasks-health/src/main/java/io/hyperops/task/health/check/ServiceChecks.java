package io.hyperops.task.health.check;

import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.LibvirtUnavailableException;
import io.hyperops.task.health.CommandRunner;
import io.hyperops.task.health.HostFiles;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** Daemons the host needs: libvirtd (and a working connection), sshd, auditd, networkd, a firewall, AppArmor. */
public final class ServiceChecks
{
    private final HostFiles host;
    private final ServiceProbe services;
    private final CommandRunner commands;
    private final LibvirtConnection libvirt;
    private final Duration commandTimeout;

    public ServiceChecks(HostFiles host, CommandRunner commands, LibvirtConnection libvirt, Duration commandTimeout)
    {
        this.host = requireNonNull(host, "host is null");
        this.commands = requireNonNull(commands, "commands is null");
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
        this.commandTimeout = requireNonNull(commandTimeout, "commandTimeout is null");
        this.services = new ServiceProbe(host, commands, commandTimeout);
    }

    public List<HealthCheck> checks()
    {
        return List.of(
                new HealthCheck("libvirtd", this::libvirtd),
                new HealthCheck("libvirt_connection", this::libvirtConnection),
                new HealthCheck("sshd", this::sshd),
                new HealthCheck("auditd", this::auditd),
                new HealthCheck("systemd_networkd", this::networkd),
                new HealthCheck("firewall", this::firewall),
                new HealthCheck("apparmor", this::apparmor));
    }

    CheckResult libvirtd()
            throws IOException, InterruptedException
    {
        if (services.active("libvirtd", Set.of("libvirtd", "virtqemud"))) {
            return CheckResult.ok("libvirtd is running");
        }
        // Socket activation: Debian's libvirtd exits when idle (--timeout 120) and its socket starts it
        // again; hosts on libvirt's modular daemons run virtqemud instead. Either answers libvirt's clients.
        if (services.systemd()) {
            for (String unit : List.of("libvirtd.socket", "virtqemud", "virtqemud.socket")) {
                if (services.active(unit, Set.of())) {
                    return CheckResult.ok("libvirt answers through " + unit + (unit.endsWith(".socket") ? " (the daemon starts on demand)" : ""));
                }
            }
        }
        return CheckResult.error("libvirtd is not running", services.startHint("libvirtd", "libvirtd -d"));
    }

    CheckResult libvirtConnection()
            throws LibvirtException
    {
        try {
            String version = libvirt.call(connect -> format(connect.getLibVersion()));
            return CheckResult.ok("connected to " + libvirt.uri() + " (libvirt " + version + ")");
        }
        catch (LibvirtUnavailableException e) {
            return CheckResult.error(e.getMessage(), "start libvirtd and check engine.libvirt_uri");
        }
    }

    CheckResult sshd()
            throws IOException, InterruptedException
    {
        if (services.active("sshd", Set.of("sshd"))) {
            return CheckResult.ok("sshd is running");
        }
        return CheckResult.warn("sshd is not running: no remote administration", services.startHint("sshd", "/usr/sbin/sshd"));
    }

    CheckResult auditd()
            throws IOException, InterruptedException
    {
        if (services.active("auditd", Set.of("auditd"))) {
            return CheckResult.ok("auditd is running");
        }
        return CheckResult.warn("auditd is not running: VM operations are not audited (compliance)", services.startHint("auditd", "auditd"));
    }

    CheckResult networkd()
            throws IOException, InterruptedException
    {
        if (services.active("systemd-networkd", Set.of("systemd-network", "systemd-networkd"))) {
            return CheckResult.ok("systemd-networkd is running");
        }
        return CheckResult.info("systemd-networkd is not running; bridges are managed elsewhere", services.startHint("systemd-networkd", "/lib/systemd/systemd-networkd"));
    }

    CheckResult firewall()
            throws IOException, InterruptedException
    {
        if (services.systemd() && (services.active("nftables", Set.of()) || services.active("firewalld", Set.of()) || services.active("firewall", Set.of()))) {
            return CheckResult.ok("firewall service is active");
        }
        // Tables alone prove nothing: libvirt's own NAT rules make some (libvirt_network, or iptables-nft's
        // ip filter with LIBVIRT_* chains) on a host with no firewall at all. What counts is an input hook
        // that drops or rejects.
        try {
            CommandRunner.Result ruleset = commands.run(List.of("nft", "list", "ruleset"), commandTimeout);
            if (ruleset.succeeded()) {
                return FirewallRules.nftInputFilters(ruleset.output())
                        ? CheckResult.ok("nftables filters incoming traffic (an input chain drops or rejects)")
                        : CheckResult.warn("no firewall filters incoming traffic: nftables has no input chain that drops or rejects (libvirt's own tables do not count)",
                                "enable the firewall: networking.firewall.enable = true (NixOS), or systemctl enable --now nftables");
            }
        }
        catch (IOException e) {
            // nft not installed: ask the legacy iptables below
        }
        try {
            CommandRunner.Result input = commands.run(List.of("iptables", "-S", "INPUT"), commandTimeout);
            if (input.succeeded() && FirewallRules.iptablesInputFilters(input.output())) {
                return CheckResult.ok("iptables filters incoming traffic (INPUT drops or rejects)");
            }
        }
        catch (IOException e) {
            // no iptables either
        }
        return CheckResult.warn("no firewall rules are loaded", "enable the firewall: networking.firewall.enable = true (NixOS), or systemctl enable --now nftables");
    }

    CheckResult apparmor()
            throws IOException
    {
        Path enabled = host.path("/sys/module/apparmor/parameters/enabled");
        if (Files.exists(enabled) && Files.readString(enabled).strip().equals("Y")) {
            return CheckResult.ok("AppArmor is enabled");
        }
        return CheckResult.warn("AppArmor is not enabled: guests are not confined", "boot with apparmor=1 security=apparmor and enable the AppArmor service");
    }

    private static String format(long version)
    {
        return (version / 1_000_000) + "." + (version / 1000 % 1000) + "." + (version % 1000);
    }
}
