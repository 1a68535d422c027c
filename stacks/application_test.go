package stacks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestApplicationReplicatesOnlyFromPrimaryToDR(t *testing.T) {
	s := synthAll(t)

	primary := resources(s.docs["prod-usw2-application"], "aws_s3_bucket_replication_configuration")
	require.Len(t, primary, 2, "one replication configuration per data bucket")
	for name, rc := range primary {
		rule := rc["rule"].([]any)[0].(map[string]any)
		destination := rule["destination"].(map[string]any)
		assert.Contains(t, destination["bucket"], "honeyhive-prod-use1-", name)
		encryption := destination["encryption_configuration"].(map[string]any)
		assert.Contains(t, encryption["replica_kms_key_id"], "prod-use1-substrate", "replicas use the DR region's key")
	}

	// The DR copy does not replicate back, and EU data never leaves the EU.
	for _, stack := range []string{"prod-use1-application", "prod-euw1-application", "test-usw2-application"} {
		assert.Empty(t, resources(s.docs[stack], "aws_s3_bucket_replication_configuration"), stack)
	}
}

func TestManifestOrdersPrimaryApplicationAfterDR(t *testing.T) {
	synthAll(t)

	data, err := os.ReadFile(filepath.Join(synthDir, "manifest.json"))
	require.NoError(t, err)
	var manifest struct {
		Stacks map[string]struct {
			Dependencies []string `json:"dependencies"`
		} `json:"stacks"`
	}
	require.NoError(t, json.Unmarshal(data, &manifest))

	assert.Contains(t, manifest.Stacks["prod-usw2-application"].Dependencies, "prod-use1-application",
		"the DR buckets must exist before replication into them is configured")
	assert.Contains(t, manifest.Stacks["prod-usw2-application"].Dependencies, "prod-usw2-hosting")
	assert.NotContains(t, manifest.Stacks["prod-euw1-application"].Dependencies, "prod-usw2-application")
}

func TestApplicationDatabaseFollowsEnvironment(t *testing.T) {
	s := synthAll(t)
	cases := []struct {
		stack     string
		backup    float64
		instances int
	}{
		{"test-usw2-application", 7, 1},
		{"stage-usw2-application", 14, 2},
		{"prod-euw1-application", 35, 2},
	}
	for _, c := range cases {
		t.Run(c.stack, func(t *testing.T) {
			doc := s.docs[c.stack]
			cluster := resources(doc, "aws_rds_cluster")["database_cluster"]
			require.NotNil(t, cluster)

			assert.Equal(t, c.backup, cluster["backup_retention_period"])
			assert.Equal(t, true, cluster["deletion_protection"])
			assert.Equal(t, true, cluster["storage_encrypted"])
			assert.Len(t, resources(doc, "aws_rds_cluster_instance"), c.instances)

			rules := resources(doc, "aws_vpc_security_group_ingress_rule")
			require.Len(t, rules, 1, "only the cluster reaches the database")
			for _, rule := range rules {
				assert.Contains(t, rule["referenced_security_group_id"], "cluster_security_group_id")
				assert.NotContains(t, rule, "cidr_ipv4")
			}
		})
	}
}

func TestApplicationPublicEntryUsesTLS13(t *testing.T) {
	s := synthAll(t)

	release := resources(s.docs["stage-use1-application"], "helm_release")["public_entry_ingress_class_release"]
	require.NotNil(t, release)
	values := release["values"].([]any)[0].(string)
	assert.Contains(t, values, "sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06")

	certificate := resources(s.docs["stage-use1-application"], "aws_acm_certificate")["public_entry_certificate"]
	assert.Equal(t, "*.stage.honeyhive.ai", certificate["domain_name"])
}

func TestApplicationTenantsFollowEnvironment(t *testing.T) {
	s := synthAll(t)

	values := func(stack string) string {
		release := resources(s.docs[stack], "helm_release")["tenancy_manifests_release"]
		require.NotNil(t, release, stack)
		return release["values"].([]any)[0].(string)
	}
	assert.Contains(t, values("test-usw2-application"), "name: team-ingest")
	assert.NotContains(t, values("test-usw2-application"), "name: team-evals")
	assert.Contains(t, values("prod-euw1-application"), "name: team-evals")
}

func TestApplicationMonitoringHighAvailabilityInProd(t *testing.T) {
	s := synthAll(t)

	values := func(stack string) string {
		release := resources(s.docs[stack], "helm_release")["monitoring_kube_prometheus_stack"]
		require.NotNil(t, release, stack)
		return release["values"].([]any)[0].(string)
	}
	assert.Contains(t, values("prod-usw2-application"), "replicas: 3", "three Alertmanagers in prod")
	assert.NotContains(t, values("test-usw2-application"), "replicas: 3")
}

func TestApplicationGitOpsPathPerRegion(t *testing.T) {
	s := synthAll(t)

	release := resources(s.docs["prod-euw1-application"], "helm_release")["gitops_applications_release"]
	require.NotNil(t, release)
	assert.Contains(t, release["values"].([]any)[0].(string), "environments/prod/eu-west-1/*")
}
