package io.hyperops.engine.control;

import io.hyperops.spi.Permission;
import io.hyperops.spi.Role;

import static java.util.Objects.requireNonNull;

/** Who is on the other end of a control connection, from the kernel's peer credentials. */
record Caller(String user, long uid, Role role)
{
    Caller
    {
        requireNonNull(user, "user is null");
        requireNonNull(role, "role is null");
    }

    boolean may(Permission permission)
    {
        return role.may(permission);
    }
}
