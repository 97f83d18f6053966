package io.hyperops.task.network;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces this test owns ({@code hyperops-net-<random>-a} and {@code -b}), joined by veth
 * pairs it creates. Addresses go only inside them and no route leads there from the host, so the traffic
 * stays inside; {@link #close()} deletes both, and with them every interface in them.
 */
final class TestingNamespaces
        implements AutoCloseable
{
    private final String a;
    private final String b;

    private TestingNamespaces(String prefix)
    {
        this.a = prefix + "-a";
        this.b = prefix + "-b";
    }

    static TestingNamespaces create()
            throws IOException, InterruptedException
    {
        TestingNamespaces namespaces = new TestingNamespaces("hyperops-net-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            namespaces.host("ip", "netns", "add", namespaces.a);
            namespaces.host("ip", "netns", "add", namespaces.b);
            namespaces.inA("ip", "link", "set", "dev", "lo", "up");
            namespaces.inB("ip", "link", "set", "dev", "lo", "up");
        }
        catch (IOException | RuntimeException e) {
            namespaces.close();
            throw e;
        }
        return namespaces;
    }

    String a()
    {
        return a;
    }

    String b()
    {
        return b;
    }

    /** A veth pair: {@code nameInA} in namespace a, {@code nameInB} in b, both up, with these addresses and MTUs. */
    void veth(String nameInA, String addressInA, int mtuInA, String nameInB, String addressInB, int mtuInB)
            throws IOException, InterruptedException
    {
        inA("ip", "link", "add", nameInA, "type", "veth", "peer", "name", nameInB, "netns", b);
        inA("ip", "link", "set", "dev", nameInA, "mtu", String.valueOf(mtuInA), "up");
        inB("ip", "link", "set", "dev", nameInB, "mtu", String.valueOf(mtuInB), "up");
        if (!addressInA.isEmpty()) {
            inA("ip", "address", "add", addressInA, "dev", nameInA);
        }
        if (!addressInB.isEmpty()) {
            inB("ip", "address", "add", addressInB, "dev", nameInB);
        }
    }

    String inA(String... command)
            throws IOException, InterruptedException
    {
        return HostShell.namespace(a).output(List.of(command), Duration.ofSeconds(20));
    }

    String inB(String... command)
            throws IOException, InterruptedException
    {
        return HostShell.namespace(b).output(List.of(command), Duration.ofSeconds(20));
    }

    /** True when {@code count} pings of {@code size} bytes from a reach {@code target}, fragmenting never if asked. */
    boolean pingFromA(String target, int size, boolean dontFragment)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("ping", "-n", "-q", "-c", "1", "-W", "1", "-s", String.valueOf(size)));
        if (dontFragment) {
            command.addAll(List.of("-M", "do"));
        }
        command.add(target);
        return HostShell.namespace(a).run(command, Duration.ofSeconds(5)).succeeded();
    }

    /**
     * Whether {@code target} answers a ping from a within {@code limit}, one ping a second: right after a
     * revert re-creates links, the peer's address may need a moment (carrier, ARP) before the first answer.
     */
    boolean reachableFromA(String target, Duration limit)
            throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (pingFromA(target, 56, false)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
        }
    }

    /**
     * Links (flags, MTU, master, state, MAC), IPv4 addresses and routes in a, one line each: equal before and
     * after means nothing changed. Interface indexes are left out, since a re-created bridge gets a new one.
     */
    String stateOfA()
            throws IOException, InterruptedException
    {
        String state = inA("ip", "-o", "link", "show") + inA("ip", "-o", "-4", "address", "show") + inA("ip", "route", "show");
        return state.replaceAll("(?m)^[0-9]+: ", "").replaceAll("\\s+valid_lft.*", "");
    }

    @Override
    public void close()
            throws IOException
    {
        for (String name : List.of(a, b)) {
            Process process = new ProcessBuilder("ip", "netns", "del", name).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                // the deletion was started; let it finish while the interrupt travels on
                Thread.currentThread().interrupt();
            }
        }
    }

    private void host(String... command)
            throws IOException, InterruptedException
    {
        HostShell.host().output(List.of(command), Duration.ofSeconds(20));
    }
}
