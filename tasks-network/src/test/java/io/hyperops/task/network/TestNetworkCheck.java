package io.hyperops.task.network;

import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunOutcome;
import io.hyperops.task.network.NetworkCheckService.Finding;
import io.hyperops.testing.TestingRunContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** network-check over a jumbo bridge in one namespace and a peer in another. */
final class TestNetworkCheck
{
    private static final String PEER = "10.201.0.2";

    @TempDir
    Path folder;

    private TestingNamespaces namespaces;
    private TestingNetwork network;

    @BeforeEach
    void createNamespaces()
            throws Exception
    {
        namespaces = TestingNamespaces.create();
        network = new TestingNetwork(namespaces.a(), folder);
        namespaces.veth("hyperops0", "", 9000, "peer0", PEER + "/24", 1500);
        namespaces.inA("ip", "link", "add", "br0", "type", "bridge");
        namespaces.inA("ip", "link", "set", "dev", "hyperops0", "master", "br0");
        namespaces.inA("ip", "link", "set", "dev", "br0", "mtu", "9000", "up");
        namespaces.inA("ip", "address", "add", "10.201.0.1/24", "dev", "br0");
    }

    @AfterEach
    void deleteNamespaces()
            throws Exception
    {
        namespaces.close();
    }

    @Test
    void anMtuLargerThanThePeerTakesIsAWarn()
            throws Exception
    {
        NetworkCheckJob job = new NetworkCheckJob(network.check);

        JobResult result = job.run(new TestingRunContext(NetworkPlugin.CHECK_JOB, network.settings(Duration.ofSeconds(5), List.of(PEER)), Clock.systemUTC()));

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RunOutcome.WARNING);
        assertThat(result.summary()).contains("MTU mismatch").contains("8972-byte don't-fragment pings do not pass").contains("MTU 9000");
        assertThat(result.details()).containsKey("bridge br0");
        assertThat((String) result.details().get("bridge br0")).startsWith("OK");
    }

    @Test
    void jumboFramesThatPassEndToEndAreOk()
            throws Exception
    {
        namespaces.inB("ip", "link", "set", "dev", "peer0", "mtu", "9000");

        List<Finding> findings = network.check.check(network.settings(Duration.ofSeconds(5), List.of(PEER)));

        assertThat(findings).extracting(Finding::status).containsOnly(CheckStatus.OK);
        assertThat(findings).extracting(Finding::message).anySatisfy(message -> assertThat(message).contains("8972-byte don't-fragment pings pass (MTU 9000)"));
    }

    @Test
    void aBridgeThatIsDownOrMissingIsAWarn()
            throws Exception
    {
        namespaces.inA("ip", "link", "set", "dev", "br0", "down");
        NetworkSettings settings = new NetworkSettings(network.networkdDir, null, List.of(), null, null, List.of("br0", "br9"));

        List<Finding> findings = network.check.check(settings);

        assertThat(findings).extracting(Finding::status).containsExactly(CheckStatus.WARN, CheckStatus.WARN);
        assertThat(findings.get(0).message()).isEqualTo("bridge br0 is DOWN");
        assertThat(findings.get(0).fix()).hasValueSatisfying(fix -> assertThat(fix).contains("ip link set dev br0 up"));
        assertThat(findings.get(1).message()).isEqualTo("bridge br9 does not exist");
    }
}
