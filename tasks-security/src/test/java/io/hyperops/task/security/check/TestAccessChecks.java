package io.hyperops.task.security.check;

import io.hyperops.spi.CheckStatus;
import io.hyperops.task.security.Finding;
import io.hyperops.task.security.HostRoot;
import io.hyperops.task.security.TestingHostTree;
import io.hyperops.task.security.polkit.PolkitRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** libvirt's access control is read from the daemon that checks the actions. */
final class TestAccessChecks
{
    private static final List<Path> SOCKETS = List.of(Path.of("/run/libvirt/libvirt-sock"), Path.of("/run/libvirt/virtqemud-sock"));
    private static final Path LIBVIRTD_CONF = Path.of("/etc/libvirt/libvirtd.conf");
    private static final Path RULES = Path.of("/etc/polkit-1/rules.d/50-hyperops.rules");

    @TempDir
    Path folder;

    @Test
    void onModularDaemonsItIsVirtqemudsConfigThatCounts()
            throws Exception
    {
        TestingHostTree tree = new TestingHostTree(folder);
        PolkitRules rules = new PolkitRules("hypervisor-operator", "wheel");
        tree.file("/run/libvirt/virtqemud-sock", "", "rw-rw-rw-");
        tree.file("/run/libvirt/libvirt-sock", "", "rw-rw-rw-");
        tree.file(RULES.toString(), rules.render());
        // set where a host on libvirtd would have it, but virtqemud is the daemon that checks
        tree.file(LIBVIRTD_CONF.toString(), "access_drivers = [ \"polkit\" ]\n");
        tree.file("/etc/libvirt/virtqemud.conf", "#access_drivers = [ \"polkit\" ]\n");
        AccessChecks checks = new AccessChecks(new HostRoot(folder));

        Finding unset = checks.libvirtAccessControl(SOCKETS, LIBVIRTD_CONF, RULES, rules);
        tree.file("/etc/libvirt/virtqemud.conf", "access_drivers = [ \"polkit\" ]\n");
        Finding set = checks.libvirtAccessControl(SOCKETS, LIBVIRTD_CONF, RULES, rules);

        assertThat(unset.severity()).isEqualTo(CheckStatus.WARN);
        assertThat(unset.evidence()).contains("/etc/libvirt/virtqemud.conf");
        assertThat(set.severity()).isEqualTo(CheckStatus.OK);
    }
}
