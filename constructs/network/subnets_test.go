package network

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlanSubnets(t *testing.T) {
	cases := []struct {
		name          string
		cidr          string
		azs           int
		privateBits   int
		otherBits     int
		private       []string
		firstPublic   string
		firstIntra    string
		firstDatabase string
	}{
		{
			name: "slash 16 in 3 AZs", cidr: "10.30.0.0/16", azs: 3, privateBits: 18, otherBits: 22,
			private:       []string{"10.30.0.0/18", "10.30.64.0/18", "10.30.128.0/18"},
			firstPublic:   "10.30.192.0/22",
			firstIntra:    "10.30.208.0/22",
			firstDatabase: "10.30.224.0/22",
		},
		{
			name: "slash 16 in 2 AZs", cidr: "10.10.0.0/16", azs: 2, privateBits: 18, otherBits: 22,
			private:       []string{"10.10.0.0/18", "10.10.64.0/18"},
			firstPublic:   "10.10.192.0/22",
			firstIntra:    "10.10.208.0/22",
			firstDatabase: "10.10.224.0/22",
		},
		{
			name: "slash 20 in 3 AZs", cidr: "172.16.32.0/20", azs: 3, privateBits: 22, otherBits: 26,
			private:       []string{"172.16.32.0/22", "172.16.36.0/22", "172.16.40.0/22"},
			firstPublic:   "172.16.44.0/26",
			firstIntra:    "172.16.45.0/26",
			firstDatabase: "172.16.46.0/26",
		},
		{
			name: "slash 20 in 2 AZs", cidr: "192.168.16.0/20", azs: 2, privateBits: 22, otherBits: 26,
			private:       []string{"192.168.16.0/22", "192.168.20.0/22"},
			firstPublic:   "192.168.28.0/26",
			firstIntra:    "192.168.29.0/26",
			firstDatabase: "192.168.30.0/26",
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vpcRange := netip.MustParsePrefix(tc.cidr)
			plan, err := PlanSubnets(vpcRange, tc.azs)
			require.NoError(t, err)

			tiers := map[string][]netip.Prefix{
				"public": plan.Public, "private": plan.Private, "intra": plan.Intra, "database": plan.Database,
			}
			for tier, subnets := range tiers {
				assert.Lenf(t, subnets, tc.azs, "%s subnets", tier)
				want := tc.otherBits
				if tier == "private" {
					want = tc.privateBits
				}
				for _, s := range subnets {
					assert.Equalf(t, want, s.Bits(), "%s subnet %s prefix length", tier, s)
					assert.Truef(t, vpcRange.Contains(s.Addr()) && s.Bits() >= vpcRange.Bits(), "%s subnet %s is outside %s", tier, s, vpcRange)
					assert.Equalf(t, s.Masked(), s, "%s subnet %s is not a network address", tier, s)
				}
			}

			assert.Equal(t, tc.private, prefixStrings(plan.Private))
			assert.Equal(t, tc.firstPublic, plan.Public[0].String())
			assert.Equal(t, tc.firstIntra, plan.Intra[0].String())
			assert.Equal(t, tc.firstDatabase, plan.Database[0].String())

			all := append(append(append(append([]netip.Prefix{}, plan.Public...), plan.Private...), plan.Intra...), plan.Database...)
			for i := range all {
				for j := i + 1; j < len(all); j++ {
					assert.Falsef(t, all[i].Overlaps(all[j]), "%s overlaps %s", all[i], all[j])
				}
			}
		})
	}
}

func TestPlanSubnetsConsecutiveAZs(t *testing.T) {
	plan, err := PlanSubnets(netip.MustParsePrefix("10.30.0.0/16"), 3)
	require.NoError(t, err)

	assert.Equal(t, []string{"10.30.192.0/22", "10.30.196.0/22", "10.30.200.0/22"}, prefixStrings(plan.Public))
	assert.Equal(t, []string{"10.30.208.0/22", "10.30.212.0/22", "10.30.216.0/22"}, prefixStrings(plan.Intra))
	assert.Equal(t, []string{"10.30.224.0/22", "10.30.228.0/22", "10.30.232.0/22"}, prefixStrings(plan.Database))
}

func TestPlanSubnetsTwoAZsMatchThree(t *testing.T) {
	vpcRange := netip.MustParsePrefix("10.30.0.0/16")
	two, err := PlanSubnets(vpcRange, 2)
	require.NoError(t, err)
	three, err := PlanSubnets(vpcRange, 3)
	require.NoError(t, err)

	assert.Equal(t, three.Public[:2], two.Public)
	assert.Equal(t, three.Private[:2], two.Private)
	assert.Equal(t, three.Intra[:2], two.Intra)
	assert.Equal(t, three.Database[:2], two.Database)
}

func TestPlanSubnetsErrors(t *testing.T) {
	cases := []struct {
		name string
		cidr netip.Prefix
		azs  int
		want string
	}{
		{"range too large", netip.MustParsePrefix("10.0.0.0/8"), 3, `"10.0.0.0/8" is too large; use a /16 to /20 range`},
		{"range too small", netip.MustParsePrefix("10.0.0.0/24"), 3, `"10.0.0.0/24" is too small; use a /16 to /20 range`},
		{"IPv6 range", netip.MustParsePrefix("fd00::/56"), 3, `"fd00::/56" is not IPv4`},
		{"IPv4-mapped IPv6 range", netip.MustParsePrefix("::ffff:10.0.0.0/112"), 3, "is not IPv4"},
		{"host bits set", netip.MustParsePrefix("10.0.1.0/16"), 3, `use the network address "10.0.0.0/16"`},
		{"zero range", netip.Prefix{}, 3, "is missing"},
		{"one AZ", netip.MustParsePrefix("10.0.0.0/16"), 1, "1 availability zones requested; use 2 or 3"},
		{"four AZs", netip.MustParsePrefix("10.0.0.0/16"), 4, "4 availability zones requested; use 2 or 3"},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PlanSubnets(tc.cidr, tc.azs)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func prefixStrings(prefixes []netip.Prefix) []string {
	out := make([]string, len(prefixes))
	for i, p := range prefixes {
		out[i] = p.String()
	}
	return out
}
