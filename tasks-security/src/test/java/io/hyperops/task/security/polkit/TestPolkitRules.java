package io.hyperops.task.security.polkit;

import io.hyperops.spi.Permission;
import io.hyperops.spi.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered rules file run for real inside a polkit stand-in ({@code polkit-standin.js}) by two
 * JavaScript engines: Duktape ({@code duk}, Debian package {@code duktape}), the engine Debian 12's
 * polkitd embeds, and Node (Debian package {@code nodejs}); both must give the same answers. It is
 * asked about every libvirt action by a subject of each role. Expected answers are written out by hand for the actions the issue names, and checked
 * against {@link Role#may} for all the rest.
 */
final class TestPolkitRules
{
    private static final String FUTURE_ACTION = "org.libvirt.api.domain.some-future-permission";
    private static final String OTHER_ACTION = "org.freedesktop.login1.reboot";

    private record Subject(String user, List<String> groups, Role role) {}

    private static final Subject OPERATOR = new Subject("olga", List.of("hypervisor-operator", "kvm", "libvirtd"), Role.OPERATOR);
    private static final Subject ADMIN = new Subject("adam", List.of("adam", "wheel"), Role.ADMIN);
    private static final Subject ROOT = new Subject("root", List.of("root"), Role.ADMIN);
    // in Debian's libvirt group, which its own 60-libvirt.rules would let manage everything
    private static final Subject NEITHER = new Subject("nina", List.of("nina", "users", "libvirt"), Role.NONE);
    private static final List<Subject> SUBJECTS = List.of(OPERATOR, ADMIN, ROOT, NEITHER);

    @TempDir
    static Path folder;

    /** answers.get(subject user).get(action id) */
    private static Map<String, Map<String, String>> answers;

    @BeforeAll
    static void runTheRulesInDuktapeAndNode()
            throws IOException, InterruptedException
    {
        List<String> actions = new ArrayList<>(LibvirtActions.all().keySet());
        actions.add(LibvirtActions.MANAGE);
        actions.add(FUTURE_ACTION);
        actions.add(OTHER_ACTION);
        List<String> cases = new ArrayList<>();
        for (Subject subject : SUBJECTS) {
            for (String action : actions) {
                cases.add("{\"action\": \"" + action + "\", \"user\": \"" + subject.user() + "\", \"groups\": ["
                        + subject.groups().stream().map(group -> "\"" + group + "\"").collect(Collectors.joining(", ")) + "]}");
            }
        }
        String standIn;
        try (InputStream resource = TestPolkitRules.class.getResourceAsStream("/polkit-standin.js")) {
            standIn = new String(resource.readAllBytes(), StandardCharsets.UTF_8);
        }
        String script = standIn
                + "\n" + new PolkitRules("hypervisor-operator", "wheel").render()
                + "\nvar hyperopsPrint = typeof print === \"function\" ? print : console.log;"
                + "\nhyperopsPrint(JSON.stringify(hyperopsRunCases([" + String.join(",\n", cases) + "])));\n";
        Path scriptFile = folder.resolve("polkit-check.js");
        Files.writeString(scriptFile, script);

        // Duktape is the JavaScript engine of Debian 12's polkitd: the rules must run in it as they are
        List<String> duktape = run(List.of("duk", scriptFile.toString()), "duktape");
        List<String> node = run(List.of("node", scriptFile.toString()), "nodejs");

        assertThat(duktape).hasSize(cases.size()).isEqualTo(node);
        answers = new LinkedHashMap<>();
        int index = 0;
        for (Subject subject : SUBJECTS) {
            Map<String, String> byAction = new LinkedHashMap<>();
            for (String action : actions) {
                byAction.put(action, duktape.get(index++));
            }
            answers.put(subject.user(), byAction);
        }
    }

    @Test
    void operatorsStartStopConsoleAndRead()
    {
        assertThat(answersOf(OPERATOR, LibvirtActions.MANAGE, LibvirtActions.MONITOR,
                "org.libvirt.api.domain.start", "org.libvirt.api.domain.stop", "org.libvirt.api.domain.init-control",
                "org.libvirt.api.domain.open-graphics", "org.libvirt.api.domain.open-device",
                "org.libvirt.api.domain.getattr", "org.libvirt.api.domain.read", "org.libvirt.api.connect.search-domains",
                "org.libvirt.api.storage-pool.search-storage-vols"))
                .containsOnly("yes");
    }

    @Test
    void operatorsMayNotDefineUndefineDeleteStorageOrChangeTheHost()
    {
        // domain write is any guest's XML (a host disk as its device) and QEMU monitor commands: root on the host
        assertThat(answersOf(OPERATOR,
                "org.libvirt.api.domain.write", "org.libvirt.api.domain.save", "org.libvirt.api.storage-vol.create",
                "org.libvirt.api.domain.delete", "org.libvirt.api.storage-vol.delete", "org.libvirt.api.storage-vol.format",
                "org.libvirt.api.storage-vol.data-write", "org.libvirt.api.storage-pool.delete",
                "org.libvirt.api.connect.write", "org.libvirt.api.network.write", "org.libvirt.api.network.start",
                "org.libvirt.api.interface.start", "org.libvirt.api.node-device.detach", "org.libvirt.api.secret.read-secure",
                "org.libvirt.api.domain.mem-read", "org.libvirt.api.domain.snapshot", "org.libvirt.api.domain.migrate",
                FUTURE_ACTION))
                .containsOnly("no");
    }

    @Test
    void adminsAuthenticateOnceAtConnectThenMayDoEverything()
    {
        assertThat(answers.get(ADMIN.user()).get(LibvirtActions.MANAGE)).isEqualTo("auth_self_keep");
        assertThat(answers.get(ROOT.user()).get(LibvirtActions.MANAGE)).isEqualTo("yes");
        for (Subject admin : List.of(ADMIN, ROOT)) {
            List<String> libvirtActions = answers.get(admin.user()).keySet().stream()
                    .filter(action -> action.startsWith(LibvirtActions.API_PREFIX) || action.equals(LibvirtActions.MONITOR))
                    .toList();
            assertThat(answersOf(admin, libvirtActions.toArray(String[]::new))).as(admin.user()).containsOnly("yes");
            assertThat(libvirtActions).contains("org.libvirt.api.domain.delete", "org.libvirt.api.storage-vol.delete", FUTURE_ACTION);
        }
    }

    @Test
    void everyoneElseGetsNothingFromLibvirt()
    {
        List<String> libvirtActions = answers.get(NEITHER.user()).keySet().stream().filter(action -> action.startsWith("org.libvirt.")).toList();

        assertThat(answersOf(NEITHER, libvirtActions.toArray(String[]::new))).containsOnly("no");
    }

    @Test
    void actionsOutsideLibvirtAreLeftToOtherRules()
    {
        for (Subject subject : SUBJECTS) {
            assertThat(answers.get(subject.user()).get(OTHER_ACTION)).as(subject.user()).isEqualTo("not_handled");
        }
    }

    @Test
    void everyMappedActionFollowsTheRoleModel()
    {
        for (Subject subject : SUBJECTS) {
            for (Map.Entry<String, Permission> action : LibvirtActions.all().entrySet()) {
                String expected = subject.role().may(action.getValue()) ? "yes" : "no";
                assertThat(answers.get(subject.user()).get(action.getKey()))
                        .as("%s (%s) asking for %s, which needs %s", subject.user(), subject.role(), action.getKey(), action.getValue())
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void groupsComeFromTheSettings()
    {
        String rules = new PolkitRules("vm-ops", "sysadmins").render();

        assertThat(rules).contains("subject.isInGroup(\"vm-ops\")", "subject.isInGroup(\"sysadmins\")").doesNotContain("hypervisor-operator", "wheel");
    }

    private static List<String> answersOf(Subject subject, String... actions)
    {
        Map<String, String> byAction = answers.get(subject.user());
        List<String> result = new ArrayList<>();
        for (String action : actions) {
            assertThat(byAction).as("asked about " + action).containsKey(action);
            result.add(byAction.get(action));
        }
        return result;
    }

    private static List<String> run(List<String> command, String debianPackage)
            throws IOException, InterruptedException
    {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + " (" + e.getMessage() + "); install Debian's " + debianPackage
                    + " (scripts/setup-testbed.sh)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command.get(0) + ": " + output).isZero();
        String trimmed = output.strip();
        assertThat(trimmed).as(command.get(0)).startsWith("[").endsWith("]");
        List<String> results = new ArrayList<>();
        for (String item : trimmed.substring(1, trimmed.length() - 1).split(",")) {
            results.add(item.strip().replace("\"", ""));
        }
        return results;
    }
}
