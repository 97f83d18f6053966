package io.hyperops.task.health.check;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Rulesets as nft and iptables print them, the ones libvirt makes on a host without a firewall among them. */
final class TestFirewallRules
{
    // what libvirt 9 with its nftables backend, and with iptables-nft, leaves on a host that has no firewall
    private static final String LIBVIRT_ONLY = """
            table ip libvirt_network {
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		counter packets 0 bytes 0 jump guest_cross
            	}
            	chain guest_input {
            		oifname "virbr0" counter packets 0 bytes 0 reject
            	}
            }
            table ip filter {
            	chain INPUT {
            		type filter hook input priority filter; policy accept;
            		counter packets 12 bytes 900 jump LIBVIRT_INP
            	}
            	chain LIBVIRT_FWI {
            		oifname "virbr0" counter packets 0 bytes 0 reject
            	}
            }
            """;

    @Test
    void libvirtsOwnTablesAreNoFirewall()
    {
        assertThat(FirewallRules.nftInputFilters(LIBVIRT_ONLY)).isFalse();
        assertThat(FirewallRules.nftInputFilters("")).isFalse();
    }

    @Test
    void anInputChainThatDropsOrRejectsIsOne()
    {
        assertThat(FirewallRules.nftInputFilters(LIBVIRT_ONLY + """
                table inet filter {
                	chain input {
                		type filter hook input priority filter; policy drop;
                		ct state established,related accept
                	}
                }
                """)).isTrue();
        assertThat(FirewallRules.nftInputFilters("""
                table inet firewall {
                	chain input {
                		type filter hook input priority filter; policy accept;
                		tcp dport 22 accept
                		counter reject with icmpx type port-unreachable
                	}
                }
                """)).isTrue();
    }

    @Test
    void iptablesInputDropsOrRejects()
    {
        assertThat(FirewallRules.iptablesInputFilters("-P INPUT ACCEPT\n-A INPUT -j LIBVIRT_INP\n")).isFalse();
        assertThat(FirewallRules.iptablesInputFilters("-P INPUT DROP\n")).isTrue();
        assertThat(FirewallRules.iptablesInputFilters("-P INPUT ACCEPT\n-A INPUT -p tcp --dport 23 -j REJECT\n")).isTrue();
    }
}
