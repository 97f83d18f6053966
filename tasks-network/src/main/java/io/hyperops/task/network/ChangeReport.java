package io.hyperops.task.network;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** How a change ended, for the terminal, {@code --json} and tests. */
public record ChangeReport(Outcome outcome, String message, List<Refusal> refusals, Optional<NetworkPlan> plan, List<String> probes)
{
    public ChangeReport
    {
        requireNonNull(outcome, "outcome is null");
        requireNonNull(message, "message is null");
        refusals = List.copyOf(requireNonNull(refusals, "refusals is null"));
        requireNonNull(plan, "plan is null");
        probes = List.copyOf(requireNonNull(probes, "probes is null"));
    }

    public enum Outcome
    {
        /** Validation found problems; nothing was changed. */
        REFUSED(2),
        /** {@code --dry-run}: the plan only. */
        PLANNED(0),
        /** Applied, and the probes passed within the window. */
        CONFIRMED_BY_PROBES(0),
        /** Applied, and an operator ran {@code hyperops network confirm} within the window. */
        CONFIRMED_BY_OPERATOR(0),
        /** Applied, then reverted: the window closed without passing probes or a confirmation, or applying failed. */
        REVERTED(3),
        /** Applied, then the revert itself failed: the console may be needed; the log says which step. */
        REVERT_FAILED(4);

        private final int exitCode;

        Outcome(int exitCode)
        {
            this.exitCode = exitCode;
        }

        public int exitCode()
        {
            return exitCode;
        }
    }
}
