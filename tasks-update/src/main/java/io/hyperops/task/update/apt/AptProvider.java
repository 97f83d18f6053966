package io.hyperops.task.update.apt;

import io.hyperops.task.update.AppliedStep;
import io.hyperops.task.update.CommandRunner;
import io.hyperops.task.update.ProviderCheck;
import io.hyperops.task.update.ProviderSettings;
import io.hyperops.task.update.UpdateException;
import io.hyperops.task.update.UpdateProvider;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Debian packages: {@code apt-get update}, a simulated {@code upgrade} as the check, the upgrade itself
 * non-interactively keeping changed config files. A rollback can only reinstall the versions the host
 * had where an archive still offers them, and holds them so the next update does not bring the new
 * ones straight back; packages whose old version is gone, and new dependencies, stay as they are (see
 * docs/update.md).
 */
public final class AptProvider
        implements UpdateProvider
{
    static final String PACKAGE_PREFIX = "package:";
    // apt's words when dpkg's journal holds changes of a run that did not end (LC_ALL=C, see ENVIRONMENT)
    private static final String DPKG_INTERRUPTED = "dpkg was interrupted";
    private static final String FINISHED_DPKG = "finished an interrupted dpkg (dpkg --configure -a)";
    private static final String DPKG_PROGRAM = "Dir::Bin::dpkg=";
    private static final String DPKG_OPTION = "DPkg::Options::=";
    private static final Map<String, String> ENVIRONMENT = Map.of("DEBIAN_FRONTEND", "noninteractive", "LC_ALL", "C");

    private final ProviderSettings.Apt settings;
    private final CommandRunner runner;

    public AptProvider(ProviderSettings.Apt settings, CommandRunner runner)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.runner = requireNonNull(runner, "runner is null");
    }

    @Override
    public String name()
    {
        return settings.name();
    }

    @Override
    public Map<String, Object> describe()
    {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("type", settings.type());
        description.put("options", settings.options());
        return description;
    }

    @Override
    public ProviderCheck check()
            throws UpdateException, IOException, InterruptedException
    {
        run(command(settings.aptGet(), "-q", "update"), "apt-get update failed");
        List<AptUpgrade> upgrades = simulate();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("upgrades", upgrades.stream().map(AptProvider::describe).toList());
        return new ProviderCheck(name(), settings.type(), !upgrades.isEmpty(), false, null,
                upgrades.isEmpty() ? "no package upgrades" : upgrades.size() + " package(s) to upgrade", details);
    }

    @Override
    public Optional<AppliedStep> planned(ProviderCheck check)
            throws UpdateException, IOException, InterruptedException
    {
        return Optional.of(new AppliedStep(name(), settings.type(), "upgrading", previousVersions(simulate())));
    }

    @Override
    public AppliedStep apply(ProviderCheck check)
            throws UpdateException, IOException, InterruptedException
    {
        // Simulated again right before: the versions replaced now are the ones a rollback must restore.
        List<AptUpgrade> upgrades = simulate();
        Map<String, String> previous = previousVersions(upgrades);
        boolean finishedDpkg;
        try {
            finishedDpkg = runStep(command(settings.aptGet(), "-y", "-q", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold", "upgrade"),
                    "apt-get upgrade failed");
        }
        catch (UpdateException e) {
            throw partlyUpgraded(e, previous);
        }
        return new AppliedStep(name(), settings.type(), (finishedDpkg ? FINISHED_DPKG + ", then " : "") + "upgraded " + upgrades.size() + " package(s)", previous);
    }

    private static Map<String, String> previousVersions(List<AptUpgrade> upgrades)
    {
        Map<String, String> previous = new TreeMap<>();
        upgrades.stream().filter(upgrade -> !upgrade.isNewInstall()).forEach(upgrade -> previous.put(PACKAGE_PREFIX + upgrade.name(), upgrade.oldVersion()));
        return previous;
    }

    /**
     * An upgrade that failed half-way (a maintainer script that failed, a time-out) has replaced some
     * packages already: those are a step of their own, for the update to roll back with the rest.
     */
    private UpdateException partlyUpgraded(UpdateException failure, Map<String, String> previous)
    {
        Map<String, String> changed = new TreeMap<>();
        try {
            Map<String, String> installed = installedVersions(previous.keySet().stream().map(key -> key.substring(PACKAGE_PREFIX.length())).toList());
            previous.forEach((key, version) -> {
                if (!version.equals(installed.get(key.substring(PACKAGE_PREFIX.length())))) {
                    changed.put(key, version);
                }
            });
        }
        catch (UpdateException | IOException e) {
            // not knowing what changed, every package the upgrade meant to replace is taken back
            return new UpdateException(failure.getMessage() + "; which packages it replaced cannot be read (" + e.getMessage() + "), so all of them are rolled back",
                    new AppliedStep(name(), settings.type(), "partly upgraded", previous));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure;
        }
        if (changed.isEmpty()) {
            return failure;
        }
        List<String> names = changed.keySet().stream().map(key -> key.substring(PACKAGE_PREFIX.length())).toList();
        return new UpdateException(failure.getMessage() + "; it had already replaced " + String.join(", ", names),
                new AppliedStep(name(), settings.type(), "partly upgraded " + changed.size() + " package(s) before failing", changed));
    }

    /**
     * The installed version of each package, from {@code apt-cache policy} ({@code   Installed: 2.0}, or
     * {@code (none)}); a package dpkg left unpacked but not configured counts as its new version.
     */
    Map<String, String> installedVersions(List<String> names)
            throws UpdateException, IOException, InterruptedException
    {
        Map<String, String> installed = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return installed;
        }
        List<String> policy = command(settings.aptCache(), "policy");
        policy.addAll(names);
        String name = null;
        for (String line : run(policy, "apt-cache policy failed").lines().toList()) {
            if (!line.startsWith(" ") && line.endsWith(":")) {
                name = line.substring(0, line.length() - 1);
            }
            else if (name != null && line.strip().startsWith("Installed: ")) {
                installed.put(name, line.strip().substring("Installed: ".length()));
            }
        }
        return installed;
    }

    @Override
    public void rollback(AppliedStep step)
            throws UpdateException, IOException, InterruptedException
    {
        List<String> downgrades = new ArrayList<>();
        List<String> held = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        // A package already at its previous version is not reinstalled: the step may have been cut off
        // before it got there, or rolled back once already.
        Map<String, String> installed = installedVersions(step.rollback().keySet().stream()
                .filter(key -> key.startsWith(PACKAGE_PREFIX)).map(key -> key.substring(PACKAGE_PREFIX.length())).toList());
        for (Map.Entry<String, String> entry : new TreeMap<>(step.rollback()).entrySet()) {
            if (!entry.getKey().startsWith(PACKAGE_PREFIX)) {
                continue;
            }
            String name = entry.getKey().substring(PACKAGE_PREFIX.length());
            if (entry.getValue().equals(installed.get(name))) {
                // nothing to reinstall, but held like the rest: the update it belonged to is not to come back
                held.add(name);
                continue;
            }
            if (availableVersions(name).contains(entry.getValue())) {
                downgrades.add(name + "=" + entry.getValue());
                held.add(name);
            }
            else {
                gone.add(name + " " + entry.getValue());
            }
        }
        if (!downgrades.isEmpty()) {
            List<String> install = command(settings.aptGet(), "-y", "-q", "--allow-downgrades", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold", "install");
            install.addAll(downgrades);
            runStep(install, "reinstalling the previous versions failed");
        }
        if (!held.isEmpty()) {
            List<String> hold = command(settings.aptMark(), "hold");
            hold.addAll(held);
            run(hold, "holding the previous versions failed");
        }
        if (!gone.isEmpty()) {
            throw new UpdateException("no archive offers the previous version of " + String.join(", ", gone)
                    + " any more; those packages stay upgraded" + (held.isEmpty() ? "" : " (held at their previous versions: " + String.join(", ", held) + "; release with apt-mark unhold)"));
        }
    }

    List<AptUpgrade> simulate()
            throws UpdateException, IOException, InterruptedException
    {
        return AptUpgrade.parse(run(command(settings.aptGet(), "-s", "upgrade"), "simulated upgrade failed"));
    }

    /** The versions {@code apt-cache madison} lists: {@code  pkg | 1.0-1 | file:/repo ./ Packages}. */
    List<String> availableVersions(String name)
            throws UpdateException, IOException, InterruptedException
    {
        String output = run(command(settings.aptCache(), "madison", name), "apt-cache madison failed");
        return output.lines()
                .map(line -> line.split("\\|"))
                .filter(fields -> fields.length >= 3 && fields[0].strip().equals(name))
                .map(fields -> fields[1].strip())
                .toList();
    }

    List<String> command(String program, String... arguments)
    {
        List<String> command = new ArrayList<>();
        command.add(program);
        // a daily unattended-upgrades, or an admin's apt, holds dpkg's lock for minutes: wait rather than fail
        command.add("-o");
        command.add("DPkg::Lock::Timeout=" + settings.lockWait().toSeconds());
        for (String option : settings.options()) {
            command.add("-o");
            command.add(option);
        }
        command.addAll(List.of(arguments));
        return command;
    }

    private String run(List<String> command, String failure)
            throws UpdateException, IOException, InterruptedException
    {
        return succeeded(runner.run(command, Path.of("/"), ENVIRONMENT, settings.timeout()), failure);
    }

    /**
     * For dpkg's runs: a shutdown leaves them to finish ({@link CommandRunner#runStep}). A dpkg that was
     * interrupted before (the host went down, or it was killed, while it ran) makes apt refuse every
     * change until {@code dpkg --configure -a} has finished what it left; that is run first, as apt's
     * message asks a person to, and the command once more.
     *
     * @return whether an interrupted dpkg had to be finished first
     */
    private boolean runStep(List<String> command, String failure)
            throws UpdateException, IOException, InterruptedException
    {
        CommandRunner.Result result = runner.runStep(command, Path.of("/"), ENVIRONMENT, settings.timeout());
        if (result.succeeded() || !result.output().contains(DPKG_INTERRUPTED)) {
            succeeded(result, failure);
            return false;
        }
        List<String> configure = new ArrayList<>(List.of(dpkg()));
        configure.addAll(dpkgOptions());
        configure.addAll(List.of("--force-confdef", "--force-confold", "--configure", "-a"));
        succeeded(runner.runStep(configure, Path.of("/"), ENVIRONMENT, settings.timeout()),
                "dpkg had been interrupted (the host went down or dpkg was killed while it ran), and dpkg --configure -a, which finishes what it left, failed");
        succeeded(runner.runStep(command, Path.of("/"), ENVIRONMENT, settings.timeout()), failure + " (after " + FINISHED_DPKG + ")");
        return true;
    }

    /** The dpkg apt runs ({@code Dir::Bin::dpkg} among the provider's options, else dpkg). */
    private String dpkg()
    {
        // apt's option names are case-insensitive
        return settings.options().stream().filter(option -> option.regionMatches(true, 0, DPKG_PROGRAM, 0, DPKG_PROGRAM.length()))
                .map(option -> option.substring(DPKG_PROGRAM.length()))
                .reduce((first, last) -> last).orElse("dpkg");
    }

    /** The options apt passes to dpkg ({@code DPkg::Options::=...} among the provider's options): the same dpkg, the same root. */
    private List<String> dpkgOptions()
    {
        return settings.options().stream().filter(option -> option.regionMatches(true, 0, DPKG_OPTION, 0, DPKG_OPTION.length()))
                .map(option -> option.substring(DPKG_OPTION.length())).toList();
    }

    private static String succeeded(CommandRunner.Result result, String failure)
            throws UpdateException
    {
        if (!result.succeeded()) {
            throw new UpdateException(failure + ": " + result.describe());
        }
        return result.output();
    }

    private static Map<String, String> describe(AptUpgrade upgrade)
    {
        Map<String, String> description = new LinkedHashMap<>();
        description.put("package", upgrade.name());
        description.put("from", upgrade.oldVersion() == null ? "(new)" : upgrade.oldVersion());
        description.put("to", upgrade.newVersion());
        description.put("origin", upgrade.origin());
        return description;
    }
}
