package io.hyperops.task.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A healthy host's files under a folder, for checks aimed at a prepared tree: 4 CPUs with vmx, 15.5 GB
 * of memory, /dev/kvm, IOMMU, AppArmor, a hardened sshd, bridge br0 up, tuned kernel, a valid config
 * file, and libvirtd, sshd, auditd and systemd-networkd running (no systemd: found in /proc). Tests
 * break one piece at a time.
 */
public final class TestingHost
{
    private TestingHost() {}

    public static HostFiles create(Path root)
            throws IOException
    {
        TestingProc.create(root.resolve("proc"));
        write(root, "proc/sys/vm/swappiness", "10\n");
        write(root, "proc/net/route", """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t0100007F\t0003\t0\t0\t0\t00000000\t0\t0\t0
                eth0\t0000007F\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0
                """);
        String[] daemons = {"libvirtd", "sshd", "auditd", "systemd-network", "bash"};
        for (int i = 0; i < daemons.length; i++) {
            write(root, "proc/" + (100 + i) + "/comm", daemons[i] + "\n");
        }
        write(root, "etc/resolv.conf", "# written by a test\nnameserver 127.0.0.1\n");
        write(root, "etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n");
        write(root, "etc/ssh/sshd_config.d/10-hardening.conf", "PasswordAuthentication no\n");
        write(root, "etc/hypervisor/hyperops.json", "{\n  // comments are allowed\n  \"jobs\": {}\n}\n");
        write(root, "dev/kvm", "");
        Files.createDirectories(root.resolve("sys/class/iommu/dmar0"));
        write(root, "sys/module/apparmor/parameters/enabled", "Y\n");
        write(root, "sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n");
        write(root, "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance\n");
        Files.createDirectories(root.resolve("sys/class/net/br0/bridge"));
        write(root, "sys/class/net/br0/operstate", "up\n");
        return new HostFiles(root);
    }

    public static void write(Path root, String path, String content)
            throws IOException
    {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
