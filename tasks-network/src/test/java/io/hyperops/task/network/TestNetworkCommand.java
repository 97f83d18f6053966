package io.hyperops.task.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hyperops network} against a namespace: list, dry run, usage. */
final class TestNetworkCommand
{
    @TempDir
    Path folder;

    private TestingNamespaces namespaces;
    private TestingNetwork network;
    private final StringWriter output = new StringWriter();

    @BeforeEach
    void createNamespaces()
            throws Exception
    {
        namespaces = TestingNamespaces.create();
        network = new TestingNetwork(namespaces.a(), folder);
        namespaces.veth("hyperops0", "10.201.0.1/24", 1500, "peer0", "10.201.0.2/24", 1500);
        namespaces.veth("vethside", "", 1500, "peer1", "", 1500);
        namespaces.inA("ip", "route", "add", "default", "via", "10.201.0.2");
    }

    @AfterEach
    void deleteNamespaces()
            throws Exception
    {
        namespaces.close();
    }

    @Test
    void listShowsMtuRangeAddressesAndGatewayAndHidesVirtualNames()
            throws Exception
    {
        int exitCode = run("list");

        assertThat(exitCode).isZero();
        assertThat(output.toString()).contains("NAME").contains("MTU RANGE")
                .contains("hyperops0").contains("virtual/veth").contains("68-65535").contains("10.201.0.1/24").contains("10.201.0.2")
                .doesNotContain("vethside").doesNotContain("lo ");
    }

    @Test
    void listAllAsJson()
            throws Exception
    {
        int exitCode = run("list", "--all", "--json");

        assertThat(exitCode).isZero();
        JsonNode list = new ObjectMapper().readTree(output.toString());
        assertThat(list.findValuesAsText("name")).contains("lo", "hyperops0", "vethside");
        JsonNode hyperops0 = list.get(list.findValuesAsText("name").indexOf("hyperops0"));
        assertThat(hyperops0.get("physical").asBoolean()).isFalse();
        assertThat(hyperops0.get("kind").asText()).isEqualTo("veth");
        assertThat(hyperops0.get("mtu").asInt()).isEqualTo(1500);
        assertThat(hyperops0.get("min_mtu").asInt()).isEqualTo(68);
        assertThat(hyperops0.get("max_mtu").asInt()).isEqualTo(65535);
        assertThat(hyperops0.get("state").asText()).isEqualTo("UP");
        assertThat(hyperops0.get("addresses").get(0).asText()).isEqualTo("10.201.0.1/24");
        assertThat(hyperops0.get("default_gateways").get(0).asText()).isEqualTo("10.201.0.2");
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing()
            throws Exception
    {
        String before = namespaces.stateOfA();

        int exitCode = run("bridge", "create", "--iface", "hyperops0", "--name", "br0", "--mtu", "performance", "--address", "10.201.0.1/24", "--gateway", "10.201.0.2", "--dry-run");

        assertThat(exitCode).as(output.toString()).isZero();
        assertThat(output.toString())
                .contains("--- br0.netdev ---").contains("MTUBytes=9000").contains("STP=no")
                .contains("--- hyperops0.network ---").contains("Bridge=br0")
                .contains("ip link set dev hyperops0 master br0")
                .contains("ip route replace default via 10.201.0.2 dev br0")
                .contains("networking.bridges.\"br0\".interfaces = [ \"hyperops0\" ];")
                .contains("dry run: nothing was changed");
        assertThat(namespaces.stateOfA()).isEqualTo(before);
        assertThat(Files.exists(network.networkdDir)).isFalse();
        assertThat(network.audit.events()).isEmpty();
    }

    @Test
    void dryRunAsJson()
            throws Exception
    {
        int exitCode = run("mtu", "set", "hyperops0", "9000", "--dry-run", "--json");

        assertThat(exitCode).isZero();
        JsonNode report = new ObjectMapper().readTree(output.toString());
        assertThat(report.get("outcome").asText()).isEqualTo("planned");
        assertThat(report.get("plan").get("commands").get(0).asText()).isEqualTo("ip link set dev hyperops0 mtu 9000");
    }

    @Test
    void aCommandLineItCannotReadIsUsage()
            throws Exception
    {
        assertThat(run("bridge", "create", "--name", "br0")).isEqualTo(NetworkCommand.USAGE);
        assertThat(output.toString()).contains("Missing required option: '--iface=<iface>'");
        assertThat(run("bridge", "create", "--iface", "hyperops0", "--dhcp", "--address", "10.0.0.1/24")).isEqualTo(NetworkCommand.USAGE);
    }

    private int run(String... arguments)
            throws Exception
    {
        PrintWriter writer = new PrintWriter(output);
        int exitCode = network.command(network.settings(Duration.ofSeconds(5), List.of())).run(List.of(arguments), writer, writer);
        writer.flush();
        return exitCode;
    }
}
