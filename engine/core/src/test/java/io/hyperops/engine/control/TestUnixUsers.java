package io.hyperops.engine.control;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Roles are decided on numbers: the user's group ids against the configured groups' ids. */
final class TestUnixUsers
{
    private final UnixUsers users = new UnixUsers();

    @Test
    void groupsAreComparedByIdNotByName()
    {
        UnixUsers.Identity root = users.lookup("root");

        assertThat(root.uid()).isZero();
        assertThat(root.gids()).contains(0L);
        assertThat(users.gid("root")).contains(0L);
        // a group the host does not have has no members: nobody gets its role
        assertThat(users.gid("hyperops-no-such-group")).isEmpty();
        // a name that looks like an option is a name
        assertThat(users.gid("--help")).isEmpty();
    }
}
