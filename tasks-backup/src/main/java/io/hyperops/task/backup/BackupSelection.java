package io.hyperops.task.backup;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Which guests a run backs up: {@code all}, {@code running}, {@code stopped}, or names. */
final class BackupSelection
{
    private BackupSelection() {}

    static List<String> resolve(Connect connect, List<String> selection)
            throws LibvirtException
    {
        TreeSet<String> names = new TreeSet<>();
        for (String item : selection) {
            switch (item) {
                case "all" -> {
                    names.addAll(running(connect));
                    names.addAll(List.of(connect.listDefinedDomains()));
                }
                case "running" -> names.addAll(running(connect));
                case "stopped" -> names.addAll(List.of(connect.listDefinedDomains()));
                default -> names.add(item);
            }
        }
        return List.copyOf(names);
    }

    private static List<String> running(Connect connect)
            throws LibvirtException
    {
        List<String> names = new ArrayList<>();
        for (int id : connect.listDomains()) {
            Domain domain = connect.domainLookupByID(id);
            names.add(domain.getName());
        }
        return names;
    }
}
