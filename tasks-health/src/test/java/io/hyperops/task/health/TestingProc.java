package io.hyperops.task.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fixed {@code /proc} in a folder: host {@code hv-test-01}, 4 processors, 15936 MB of memory of which 9000 MB available. */
final class TestingProc
{
    static final String LOADAVG = "0.52 0.58 0.61 2/431 12345\n";

    static final String MEMINFO = """
            MemTotal:       16318480 kB
            MemFree:         1203400 kB
            MemAvailable:    9216000 kB
            Buffers:          310224 kB
            Active(anon):    4021120 kB
            HugePages_Total:       0
            Hugepagesize:       2048 kB
            """;

    private TestingProc() {}

    static Path create(Path folder)
            throws IOException
    {
        Files.createDirectories(folder.resolve("sys/kernel"));
        Files.writeString(folder.resolve("sys/kernel/hostname"), "hv-test-01\n");
        Files.writeString(folder.resolve("loadavg"), LOADAVG);
        Files.writeString(folder.resolve("meminfo"), MEMINFO);
        StringBuilder cpuinfo = new StringBuilder();
        for (int processor = 0; processor < 4; processor++) {
            cpuinfo.append("processor\t: ").append(processor).append('\n')
                    .append("vendor_id\t: GenuineIntel\n")
                    .append("model name\t: Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\n")
                    .append("flags\t\t: fpu vme de pse vmx\n")
                    .append('\n');
        }
        Files.writeString(folder.resolve("cpuinfo"), cpuinfo);
        return folder;
    }
}
