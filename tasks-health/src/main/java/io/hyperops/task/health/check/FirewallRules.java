package io.hyperops.task.health.check;

import java.util.regex.Pattern;

/** Reads firewall rules as {@code nft list ruleset} and {@code iptables -S INPUT} print them: is incoming traffic filtered? */
final class FirewallRules
{
    private static final Pattern DROPS = Pattern.compile("\\b(drop|reject)\\b");

    private FirewallRules() {}

    /**
     * Whether some base chain on the input hook, outside libvirt's own tables, has a drop policy or a
     * rule of its own that drops or rejects.
     */
    static boolean nftInputFilters(String ruleset)
    {
        boolean libvirtTable = false;
        boolean inputChain = false;
        for (String raw : ruleset.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("table ")) {
                libvirtTable = line.contains(" libvirt");
                inputChain = false;
            }
            else if (line.startsWith("chain ")) {
                inputChain = false;
            }
            else if (line.startsWith("type ") && line.contains("hook input")) {
                inputChain = !libvirtTable;
                if (inputChain && line.contains("policy drop")) {
                    return true;
                }
            }
            else if (inputChain && DROPS.matcher(line).find()) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code iptables -S INPUT} shows a DROP policy or a rule that drops or rejects. */
    static boolean iptablesInputFilters(String rules)
    {
        return rules.lines().map(String::strip).anyMatch(line -> line.equals("-P INPUT DROP") || line.contains("-j DROP") || line.contains("-j REJECT"));
    }
}
