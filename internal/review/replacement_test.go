package review

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func clusterChange(t *testing.T, before, after map[string]any) ResourceChange {
	t.Helper()
	change, changed := resourceChange(Update,
		resource{address: "aws_eks_cluster.eks_cluster", typ: "aws_eks_cluster", block: before},
		resource{address: "aws_eks_cluster.eks_cluster", typ: "aws_eks_cluster", block: after})
	require.True(t, changed)
	return change
}

func TestEKSEncryptionConfigReplacement(t *testing.T) {
	encrypted := map[string]any{"name": "c", "encryption_config": map[string]any{
		"resources": []any{"secrets"}, "provider": map[string]any{"key_arn": "arn:aws:kms:us-west-2:1:key/a"},
	}}
	plain := map[string]any{"name": "c"}

	assert.True(t, clusterChange(t, encrypted, plain).Replaced, "turning encryption off recreates the cluster")
	assert.False(t, clusterChange(t, plain, encrypted).Replaced, "turning encryption on is an in-place update")
}

func TestNestedForceNewPath(t *testing.T) {
	before := map[string]any{"name": "c", "kubernetes_network_config": map[string]any{"service_ipv4_cidr": "172.20.0.0/16"}}
	after := map[string]any{"name": "c", "kubernetes_network_config": map[string]any{"service_ipv4_cidr": "172.21.0.0/16"}}

	change := clusterChange(t, before, after)

	assert.True(t, change.Replaced)
	assert.Equal(t, []string{"kubernetes_network_config.service_ipv4_cidr forces replacement"}, change.ReplaceReasons)
}

func TestListIndexesMatchForceNewPaths(t *testing.T) {
	before := map[string]any{"launch_template": []any{map[string]any{"id": "lt-1", "version": "1"}}}
	after := map[string]any{"launch_template": []any{map[string]any{"id": "lt-1", "version": "2"}}}
	change, _ := resourceChange(Update,
		resource{address: "aws_eks_node_group.n", typ: "aws_eks_node_group", block: before},
		resource{address: "aws_eks_node_group.n", typ: "aws_eks_node_group", block: after})
	assert.False(t, change.Replaced, "a new launch template version rolls the nodes in place")

	after = map[string]any{"launch_template": []any{map[string]any{"id": "lt-2", "version": "1"}}}
	change, _ = resourceChange(Update,
		resource{address: "aws_eks_node_group.n", typ: "aws_eks_node_group", block: before},
		resource{address: "aws_eks_node_group.n", typ: "aws_eks_node_group", block: after})
	assert.True(t, change.Replaced)
	assert.True(t, attributeAt(t, change, "launch_template[0].id").ForcesReplacement)
}

func TestMetaArgumentsNeverReplace(t *testing.T) {
	before := map[string]any{"name": "x", "lifecycle": map[string]any{"prevent_destroy": true}, "tags": map[string]any{"Name": "a"}}
	after := map[string]any{"name": "x", "lifecycle": map[string]any{"prevent_destroy": false}, "tags": map[string]any{"Name": "b"}}
	change, _ := resourceChange(Update,
		resource{address: "aws_ssm_parameter.p", typ: "aws_ssm_parameter", block: before},
		resource{address: "aws_ssm_parameter.p", typ: "aws_ssm_parameter", block: after})

	assert.False(t, change.Replaced)
	assert.False(t, change.ReplacementUnknown, "tags and lifecycle change nothing that could replace it")
	assert.Len(t, change.Attributes, 2)
}

// platformTypes are the resource types the platform's stacks create.
var platformTypes = []string{
	"aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_cloudwatch_log_group",
	"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group",
	"aws_secretsmanager_secret", "aws_secretsmanager_secret_version", "aws_eks_pod_identity_association",
	"aws_kms_key", "aws_kms_alias", "aws_s3_bucket", "aws_s3_bucket_lifecycle_configuration",
	"aws_s3_bucket_logging", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_policy",
	"aws_s3_bucket_public_access_block", "aws_s3_bucket_replication_configuration",
	"aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning",
	"aws_route53_zone", "aws_route53_record", "aws_vpc_endpoint", "aws_vpc_endpoint_service",
	"aws_ec2_tag", "aws_sqs_queue", "aws_launch_template", "aws_flow_log", "aws_eks_node_group",
	"aws_eks_cluster", "aws_eks_addon", "aws_eks_access_entry", "aws_eks_access_policy_association",
	"aws_ecs_task_definition", "aws_ecs_service", "aws_ecs_cluster", "aws_db_subnet_group",
	"aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_vpc", "aws_subnet",
	"aws_route_table", "aws_route_table_association", "aws_route", "aws_rds_cluster",
	"aws_rds_cluster_instance", "aws_rds_cluster_parameter_group", "aws_nat_gateway",
	"aws_internet_gateway", "aws_eip", "aws_default_security_group", "aws_acm_certificate",
	"aws_acm_certificate_validation", "aws_backup_vault", "aws_backup_plan", "aws_backup_selection",
	"aws_cloudtrail", "aws_accessanalyzer_analyzer", "aws_lb", "aws_lb_target_group", "aws_lb_listener",
	"aws_iam_openid_connect_provider", "aws_dynamodb_table", "helm_release",
	"kubernetes_storage_class_v1", "twingate_remote_network", "twingate_connector",
	"twingate_connector_tokens",
}

func TestForceNewTableCoversPlatformTypes(t *testing.T) {
	for _, typ := range platformTypes {
		_, ok := forceNew[typ]
		assert.True(t, ok, "%s has no entry in the force-new table", typ)
	}
}

func TestForceNewTableCoversSnapshotTypes(t *testing.T) {
	fleet, err := ReadSnapshotsDir(filepath.Join("..", "..", "__snapshots__"))
	if err != nil {
		t.Skipf("no snapshots to read: %v", err)
	}
	for _, name := range fleet.Names() {
		for typ := range asMap(fleet[name]["resource"]) {
			_, ok := forceNew[typ]
			assert.True(t, ok, "%s (used in stack %s) has no entry in the force-new table", typ, name)
		}
	}
}
