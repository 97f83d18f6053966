package io.hyperops.task.health;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestProcFiles
{
    @TempDir
    Path folder;

    @Test
    void readsFixedProcFiles()
            throws IOException
    {
        ProcFiles proc = new ProcFiles(TestingProc.create(folder));

        assertThat(proc.hostname()).isEqualTo("hv-test-01");
        assertThat(proc.processorCount()).isEqualTo(4);
        assertThat(proc.loadAverage()).containsExactly(0.52, 0.58, 0.61);
        assertThat(proc.meminfoKilobytes("MemTotal")).isEqualTo(16318480);
        assertThat(proc.meminfoKilobytes("MemAvailable")).isEqualTo(9216000);
        assertThat(proc.meminfoKilobytes("Active(anon)")).isEqualTo(4021120);
        assertThat(proc.meminfoKilobytes("HugePages_Total")).isZero();
    }

    @Test
    void namesTheFileAndKeyThatIsMissing()
            throws IOException
    {
        TestingProc.create(folder);
        Files.writeString(folder.resolve("meminfo"), "MemTotal:       16318480 kB\nMemFree:         1203400 kB\n");
        ProcFiles proc = new ProcFiles(folder);

        assertThatThrownBy(() -> proc.meminfoKilobytes("MemAvailable"))
                .isInstanceOf(IOException.class)
                .hasMessage(folder.resolve("meminfo") + " has no MemAvailable line");
    }

    @Test
    void rejectsUnreadableLoadAverage()
            throws IOException
    {
        TestingProc.create(folder);
        Files.writeString(folder.resolve("loadavg"), "busy\n");
        ProcFiles proc = new ProcFiles(folder);

        assertThatThrownBy(proc::loadAverage)
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read the load averages from " + folder.resolve("loadavg") + ": 'busy'");
    }

    @Test
    void rejectsCpuinfoWithoutProcessors()
            throws IOException
    {
        TestingProc.create(folder);
        Files.writeString(folder.resolve("cpuinfo"), "model name\t: unknown\n");
        ProcFiles proc = new ProcFiles(folder);

        assertThatThrownBy(proc::processorCount)
                .isInstanceOf(IOException.class)
                .hasMessage(folder.resolve("cpuinfo") + " lists no 'processor' entries");
    }

    @Test
    void failsOnMissingProcFolder()
    {
        ProcFiles proc = new ProcFiles(folder.resolve("absent"));

        assertThatThrownBy(proc::hostname).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void readsThisHostsProc()
            throws IOException
    {
        ProcFiles proc = new ProcFiles(Path.of("/proc"));

        assertThat(proc.hostname()).isNotBlank();
        assertThat(proc.processorCount()).isPositive();
        assertThat(proc.loadAverage()).hasSize(3).allSatisfy(load -> assertThat(load).isNotNegative());
        assertThat(proc.meminfoKilobytes("MemAvailable")).isPositive().isLessThanOrEqualTo(proc.meminfoKilobytes("MemTotal"));
    }
}
