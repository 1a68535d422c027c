package environments

// Test returns the test environment: one region, two AZs and a single NAT
// gateway, sized for integration testing rather than load.
func Test() Environment {
	return Environment{
		Name:       "test",
		Pattern:    PatternFullStack,
		CostCentre: "platform-test",
		Accounts: Accounts{
			Orchestration: orchestration,
			Target:        Account{ID: placeholderTestAccount},
		},
		Regions: []Region{
			{Name: "us-west-2", Role: RolePrimary, VPCCIDR: "10.10.0.0/16"},
		},
		Domain: "test.honeyhive.ai",
		Sizes: Sizes{
			AvailabilityZones: 2,
			NATGateways:       NATSingle,
			SystemNodes: NodeGroupSize{
				InstanceTypes: []string{"m7g.large"},
				Min:           2, Desired: 2, Max: 3,
			},
			DatabaseInstanceClass: "db.t4g.medium",
		},
		Retention: Retention{
			FlowLogDays:        14,
			ClusterLogDays:     14,
			ApplicationLogDays: 7,
			DatabaseBackupDays: 7,
		},
		Components:      Components{Twingate: true, Monitoring: true, GitOps: true, DataStores: true},
		TwingateNetwork: "honeyhive",
	}
}
