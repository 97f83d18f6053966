package io.hyperops.task.security;

import io.hyperops.spi.CheckStatus;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The result of one posture check: what was looked at and what to do about it.
 *
 * @param id the check's stable name, e.g. {@code sshd_password_authentication}; used in
 *         {@code disabled_checks} and as the Prometheus label
 * @param severity OK when the check passed
 * @param evidence what was found, with the file or command it came from
 * @param fix what to do; empty when nothing needs doing
 */
public record Finding(String id, CheckStatus severity, String evidence, Optional<String> fix)
{
    public Finding
    {
        requireNonNull(id, "id is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(evidence, "evidence is null");
        requireNonNull(fix, "fix is null");
    }

    public static Finding ok(String id, String evidence)
    {
        return new Finding(id, CheckStatus.OK, evidence, Optional.empty());
    }

    public static Finding info(String id, String evidence)
    {
        return new Finding(id, CheckStatus.INFO, evidence, Optional.empty());
    }

    public static Finding warn(String id, String evidence, String fix)
    {
        return new Finding(id, CheckStatus.WARN, evidence, Optional.of(fix));
    }

    public static Finding error(String id, String evidence, String fix)
    {
        return new Finding(id, CheckStatus.ERROR, evidence, Optional.of(fix));
    }
}
