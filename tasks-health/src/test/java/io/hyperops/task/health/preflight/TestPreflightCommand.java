package io.hyperops.task.health.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.spi.CheckStatus;
import io.hyperops.spi.HostPaths;
import io.hyperops.spi.PreflightOperation;
import io.hyperops.spi.PreflightReport;
import io.hyperops.task.health.HostFiles;
import io.hyperops.task.health.TestingHost;
import io.hyperops.task.health.TestingLibvirtConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Pre-flight on a prepared host (4 CPUs, 9000 MB available) and libvirt's test driver (one guest, "test"). */
@Tag("libvirt")
final class TestPreflightCommand
{
    @TempDir
    Path folder;

    private Path root;
    private HostPreflight preflight;
    private PreflightCommand command;

    @BeforeEach
    void setUp()
            throws IOException
    {
        root = folder.resolve("root");
        HostFiles host = TestingHost.create(root);
        HostPaths paths = new HostPaths(folder.resolve("data"), folder.resolve("data/hyperops"), folder.resolve("data/logs"));
        preflight = new HostPreflight(host, paths, TestingLibvirtConnection.testDriver());
        command = new PreflightCommand(preflight, paths, Optional.empty());
    }

    @Test
    void anOversizedVmCreateListsEveryFailureWithItsFixInOneRun()
            throws Exception
    {
        Files.delete(root.resolve("dev/kvm"));

        Output output = run("vm-create", "--name", "test", "--disk", "100000T", "--memory", "64000", "--cpus", "16", "--iso", folder.resolve("missing.iso").toString());

        assertThat(output.exitCode()).isEqualTo(2);
        assertThat(output.err()).isEmpty();
        assertThat(output.out()).contains(
                "[ERROR] kvm: KVM is not available: /dev/kvm does not exist",
                "Load KVM with: modprobe kvm_intel",
                "[OK]    libvirt: libvirt answers at test:///default",
                "[ERROR] disk_space: Insufficient disk space: ",
                "GB available, 102400000GB required on ",
                "Free up space with: hyperops run-job storage-cleanup",
                "[ERROR] vm_name: A VM named test already exists",
                "Choose another --name, or remove the old one: virsh undefine test",
                "[ERROR] memory: Insufficient memory: 9000 MB available, 64000 MB required",
                "[ERROR] cpus: 16 vCPUs requested, the host has 4 CPUs",
                "[ERROR] iso: ISO not found: ",
                "[ERROR] iso_checksum: cannot verify the checksum of a missing ISO",
                "Summary: 8 checks, 1 OK, 0 INFO, 0 WARN, 7 ERROR: not ready",
                "To fix:\n  - kvm (ERROR): ");
        // every failure is listed again under "To fix", each with its fix
        String fixes = output.out().substring(output.out().indexOf("To fix:"));
        for (String check : List.of("kvm", "disk_space", "vm_name", "memory", "cpus", "iso", "iso_checksum")) {
            assertThat(fixes).contains("  - " + check + " (ERROR): ");
        }
    }

    @Test
    void printsJsonThatJqReads()
            throws Exception
    {
        Output output = run("vm-create", "--name", "new-vm", "--disk", "1G", "--memory", "512", "--cpus", "1", "--json");

        assertThat(output.exitCode()).isZero();
        Path file = Files.writeString(folder.resolve("report.json"), output.out());
        JsonNode report = new ObjectMapper().readTree(jq(file, "{operation, status, passed, names: [.checks[].name]}"));
        assertThat(report.get("operation").textValue()).isEqualTo("vm-create");
        assertThat(report.get("status").textValue()).isEqualTo("OK");
        assertThat(report.get("passed").booleanValue()).isTrue();
        assertThat(report.get("names").toString()).isEqualTo("[\"kvm\",\"libvirt\",\"disk_space\",\"vm_name\",\"memory\",\"cpus\"]");
    }

    @Test
    void warningsExitWithOne()
            throws Exception
    {
        Path iso = Files.writeString(folder.resolve("debian.iso"), "not really an ISO");

        Output output = run("vm-create", "--name", "new-vm", "--disk", "1G", "--memory", "512", "--cpus", "1", "--iso", iso.toString());

        assertThat(output.exitCode()).isEqualTo(1);
        assertThat(output.out()).contains("[WARN]  iso_checksum: checksum of debian.iso not verified: no debian.iso.sha256", "ready, with warnings");
    }

    @Test
    void verifiesTheIsoChecksum()
            throws Exception
    {
        Path iso = Files.writeString(folder.resolve("debian.iso"), "abc");
        Files.writeString(folder.resolve("debian.iso.sha256"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  debian.iso\n");

        PreflightReport report = preflight.check(new PreflightOperation.VmCreate("new-vm", 1 << 30, 512, 1, Optional.of(iso)));

        assertThat(report.checks()).filteredOn(check -> check.name().equals("iso_checksum")).singleElement()
                .satisfies(check -> assertThat(check.status()).isEqualTo(CheckStatus.OK));
        Files.writeString(folder.resolve("debian.iso.sha256"), "0000000000000000000000000000000000000000000000000000000000000000  debian.iso\n");
        assertThat(preflight.check(new PreflightOperation.VmCreate("new-vm", 1 << 30, 512, 1, Optional.of(iso))).status()).isEqualTo(CheckStatus.ERROR);
    }

    @Test
    void checksTheOtherOperations()
            throws Exception
    {
        assertThat(run("vm-start", "test").out()).contains("[WARN]  vm_state: test is already running");
        assertThat(run("vm-start", "nosuch").out()).contains("[ERROR] vm_exists: no VM named nosuch");
        assertThat(run("snapshot", "test").out()).contains("[OK]    snapshots: test has 0 snapshot(s)");
        // 1 GB, plus the test driver guest's memory and the capacity it reports for its disk
        assertThat(run("backup", "test", "--target", folder.toString()).out()).contains("GB available, 1026GB required on " + folder);
        assertThat(run("backup", "nosuch", "--target", folder.toString()).exitCode()).isEqualTo(2);
        assertThat(run("iso-download", "--size", "100000T", "--target", folder.toString()).out()).contains("[ERROR] disk_space: Insufficient disk space: ");
        assertThat(run("general").out()).contains("kvm:", "libvirt:", "disk_space:", "memory:");
    }

    @Test
    void rejectsABadCommandLine()
            throws Exception
    {
        Output output = run("vm-create", "--disk", "20G");

        assertThat(output.exitCode()).isEqualTo(PreflightCommand.USAGE);
        assertThat(output.err()).contains("Missing required option: '--name=<name>'");
        assertThat(run("vm-create", "--name", "x", "--disk", "lots").err()).contains("'lots' is not a size; write e.g. 20G, 512M or 1T");
        Output nonsense = run("vm-create", "--name", "x", "--cpus", "-3");
        assertThat(nonsense.exitCode()).isEqualTo(PreflightCommand.USAGE);
        assertThat(nonsense.err()).contains("a guest needs at least 1 vCPU, was -3");
        assertThat(run("vm-create", "--name", "x", "--memory", "0").err()).contains("the memory must be at least 1 MiB, was 0");
    }

    private Output run(String... arguments)
            throws Exception
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = command.run(List.of(arguments), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Output(exitCode, out.toString(), err.toString());
    }

    private static String jq(Path file, String filter)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder("jq", "-c", filter, file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("jq exit code").isZero();
        return output;
    }

    private record Output(int exitCode, String out, String err) {}
}
