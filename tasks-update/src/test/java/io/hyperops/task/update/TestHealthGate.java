package io.hyperops.task.update;

import io.hyperops.spi.RunOutcome;
import io.hyperops.testing.TestingGuests;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gate's rules with hand-written jobs and libvirt's test driver, and once against the real daemon. */
final class TestHealthGate
{
    private static final Logger LOG = LoggerFactory.getLogger(TestHealthGate.class);

    @TempDir
    Path folder;

    @Test
    void passesWhenHealthSucceedsAndTheGuestsRun()
            throws Exception
    {
        TestingUpdateHost host = host(TestingLibvirtConnection.testDriver());
        host.jobs.job("health", RunOutcome.SUCCESS);

        assertThat(gate(host).await(settings("health"), Set.of("test"), LOG)).isEmpty();
        assertThat(host.jobs.runs()).containsExactly("health");
    }

    @Test
    void aFailedHealthRunOrAnErrorInTheStatusFileFails()
            throws Exception
    {
        TestingUpdateHost host = host(TestingLibvirtConnection.testDriver());
        host.jobs.job("health", RunOutcome.FAILED);

        assertThat(gate(host).await(settings("health"), Set.of(), LOG)).containsExactly("health job 'health' ended failed: failed");

        TestingUpdateHost other = host(TestingLibvirtConnection.testDriver());
        other.jobs.job("health", RunOutcome.WARNING);
        other.writeHealth("ERROR");
        assertThat(gate(other).await(settings("health"), Set.of(), LOG)).containsExactly("health-status.json says overall_status ERROR");
    }

    @Test
    void aTimedOutHealthRunFails()
            throws Exception
    {
        TestingUpdateHost host = host(TestingLibvirtConnection.testDriver());
        host.jobs.job("health", RunOutcome.TIMED_OUT);

        assertThat(gate(host).await(settings("health"), Set.of(), LOG)).singleElement().asString().startsWith("health job 'health' ended timed-out");
    }

    @Test
    void libvirtThatDoesNotAnswerFails()
            throws Exception
    {
        TestingLibvirtConnection libvirt = TestingLibvirtConnection.testDriver();
        TestingUpdateHost host = host(libvirt);
        HealthGate gate = gate(host);
        assertThat(gate.runningGuests()).containsExactly("test");

        libvirt.stopAnswering();

        assertThat(gate.await(settings(""), Set.of("test"), LOG)).containsExactly("libvirtd does not answer on test:///default: libvirtd does not answer (test)");
        assertThatThrownBy(gate::runningGuests).isInstanceOf(UpdateException.class);
    }

    @Test
    void aMissingHealthJobIsAProblemNotACrash()
            throws Exception
    {
        TestingUpdateHost host = host(TestingLibvirtConnection.testDriver());

        assertThat(gate(host).await(settings("health"), Set.of(), LOG)).containsExactly("health job 'health' cannot run: no job named 'health'");
    }

    @Test
    void triesAgainUntilTheGracePeriodEnds()
            throws Exception
    {
        TestingUpdateHost host = host(TestingLibvirtConnection.testDriver());
        host.jobs.job("health", RunOutcome.FAILED);
        long start = System.nanoTime();

        List<String> problems = gate(host).await(settings("health"), Set.of(), LOG);

        assertThat(problems).isNotEmpty();
        assertThat(host.jobs.runs()).hasSizeBetween(2, 4);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    @Tag("libvirt")
    void aRealGuestThatStopsFailsTheGate()
            throws Exception
    {
        try (TestingGuests guests = TestingGuests.connect()) {
            TestingGuests.Guest guest = guests.createRunning("update-gate");
            TestingUpdateHost host = host(TestingLibvirtConnection.system());
            HealthGate gate = gate(host);
            Set<String> before = gate.runningGuests();
            assertThat(before).contains(guest.name());

            assertThat(gate.await(settings(""), before, LOG)).isEmpty();

            guests.domain(guest).destroy();

            assertThat(gate.await(settings(""), Set.of(guest.name()), LOG)).containsExactly("guests that ran before the update do not run: " + guest.name());
        }
    }

    private TestingUpdateHost host(TestingLibvirtConnection libvirt)
    {
        return new TestingUpdateHost(folder.resolve("host-" + System.nanoTime()), libvirt);
    }

    private static HealthGate gate(TestingUpdateHost host)
    {
        return new HealthGate(host.jobs, host.libvirt, host.jsonFiles, host.paths);
    }

    private static UpdateSettings settings(String healthJob)
    {
        return new UpdateSettings(null, null, null, null, healthJob, Duration.ofMillis(300), Duration.ofMillis(100), null);
    }
}
