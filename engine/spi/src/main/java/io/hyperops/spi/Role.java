package io.hyperops.spi;

/**
 * Who may do what on this host: the seed's security model, enforced. One model for the control
 * socket and for libvirt's polkit rules, so the two never disagree; see {@link Permission}.
 */
public enum Role
{
    /** Neither group: may not even connect. */
    NONE,
    /** The {@code hypervisor-operator} group: runs the host day to day, changes nothing lasting. */
    OPERATOR,
    /** root or the admin group: everything. */
    ADMIN;

    public boolean may(Permission permission)
    {
        return ordinal() >= permission.least().ordinal();
    }
}
