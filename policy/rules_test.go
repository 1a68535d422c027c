package policy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testKey   = "arn:aws:kms:us-west-2:111122223333:key/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"
	keepState = "lifecycle.prevent_destroy"
)

// res adds a resource of type typ with the given attributes, set as
// overrides so each case writes exactly the JSON a rule reads.
func res(scope constructs.Construct, id, typ string, attrs map[string]any) cdktf.TerraformResource {
	r := cdktf.NewTerraformResource(scope, jsii.String(id), &cdktf.TerraformResourceConfig{
		TerraformResourceType: jsii.String(typ),
	})
	for path, value := range attrs {
		r.AddOverride(jsii.String(path), value)
	}
	return r
}

// ref returns a reference to the id attribute of the resource at address.
func ref(typ, name string) string { return "${" + typ + "." + name + ".id}" }

// merge returns base with the changes applied; a nil change removes a key.
func merge(base map[string]any, changes map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// bucket adds a bucket named id and its companions, changed as given.
func bucket(scope constructs.Construct, id string, change map[string]map[string]any) {
	tlsPolicy := `{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	parts := []struct {
		suffix, typ string
		attrs       map[string]any
	}{
		{"", "aws_s3_bucket", map[string]any{"bucket": id, keepState: true}},
		{"_encryption", "aws_s3_bucket_server_side_encryption_configuration", map[string]any{
			"bucket": ref("aws_s3_bucket", id),
			"rule":   []map[string]any{{"apply_server_side_encryption_by_default": map[string]any{"sse_algorithm": "aws:kms", "kms_master_key_id": testKey}}},
		}},
		{"_public_access_block", "aws_s3_bucket_public_access_block", map[string]any{
			"bucket": ref("aws_s3_bucket", id), "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true,
		}},
		{"_versioning", "aws_s3_bucket_versioning", map[string]any{
			"bucket": ref("aws_s3_bucket", id), "versioning_configuration": map[string]any{"status": "Enabled"},
		}},
		{"_policy", "aws_s3_bucket_policy", map[string]any{"bucket": ref("aws_s3_bucket", id), "policy": tlsPolicy}},
	}
	for _, p := range parts {
		attrs := p.attrs
		if c, ok := change[p.typ]; ok {
			if c == nil {
				continue
			}
			attrs = merge(attrs, c)
		}
		res(scope, id+p.suffix, p.typ, attrs)
	}
}

// good are the compliant attributes of resources the rules check, by type.
var good = map[string]map[string]any{
	"aws_kms_key":               {"enable_key_rotation": true, "deletion_window_in_days": 30, keepState: true},
	"aws_launch_template":       {"metadata_options": map[string]any{"http_tokens": "required"}},
	"aws_cloudwatch_log_group":  {"kms_key_id": testKey, "retention_in_days": 90, keepState: true},
	"aws_sqs_queue":             {"kms_master_key_id": testKey},
	"aws_sns_topic":             {"kms_master_key_id": testKey},
	"aws_dynamodb_table":        {"name": "locks", keepState: true},
	"aws_secretsmanager_secret": {"kms_key_id": testKey, keepState: true},
	"aws_rds_cluster": {
		"storage_encrypted": true, "kms_key_id": testKey, "deletion_protection": true, "backup_retention_period": 14, keepState: true,
	},
	"aws_eks_cluster": {
		"vpc_config":                map[string]any{"endpoint_private_access": true, "endpoint_public_access": false, "subnet_ids": []string{"a", "b"}},
		"encryption_config":         map[string]any{"resources": []string{"secrets"}, "provider": map[string]any{"key_arn": testKey}},
		"enabled_cluster_log_types": []string{"api", "audit", "authenticator", "controllerManager", "scheduler"},
	},
	"aws_vpc_security_group_ingress_rule": {"cidr_ipv4": "10.0.0.0/16", "from_port": 443, "to_port": 443, "ip_protocol": "tcp"},
	"aws_lb_listener":                     {"protocol": "HTTPS", "port": 443, "ssl_policy": tls13Policy},
	"aws_iam_role":                        {"assume_role_policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:honeyhive/platform-infra:environment:prod"}}}]}`},
	"aws_iam_role_policy":                 {"role": "r", "policy": `{"Version":"2012-10-17","Statement":[{"Sid":"ReadOneSecret","Effect":"Allow","Action":["secretsmanager:GetSecretValue","kms:Decrypt"],"Resource":["arn:aws:secretsmanager:us-west-2:111122223333:secret:one-AbCdEf","` + testKey + `"]}]}`},
}

// ruleCase is a resource that breaks exactly one rule.
type ruleCase struct {
	rule  string
	build func(scope constructs.Construct, id string)
}

// one returns a case that adds a single resource of typ with its good
// attributes changed.
func one(rule, typ string, change map[string]any) ruleCase {
	return ruleCase{rule, func(scope constructs.Construct, id string) { res(scope, id, typ, merge(good[typ], change)) }}
}

// vpc adds a VPC with a flow log and a closed default security group,
// changed as given.
func vpc(withFlowLog bool, defaultGroup map[string]any) func(constructs.Construct, string) {
	return func(scope constructs.Construct, id string) {
		res(scope, id, "aws_vpc", map[string]any{"cidr_block": "10.0.0.0/16"})
		if withFlowLog {
			res(scope, id+"_flow_log", "aws_flow_log", map[string]any{"vpc_id": ref("aws_vpc", id), "traffic_type": "ALL"})
		}
		res(scope, id+"_default_security_group", "aws_default_security_group", merge(map[string]any{"vpc_id": ref("aws_vpc", id)}, defaultGroup))
	}
}

var ruleCases = []ruleCase{
	{"HH-DATA-001", func(scope constructs.Construct, id string) {
		eu := provider.NewAwsProvider(scope, jsii.String(id+"_provider"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1"), Alias: jsii.String(id)})
		plan := res(scope, id, "aws_backup_plan", map[string]any{
			"name": id,
			"rule": []map[string]any{{"rule_name": "daily", "target_vault_name": "eu", "copy_action": []map[string]any{{"destination_vault_arn": "arn:aws:backup:us-east-1:111122223333:backup-vault:us"}}}},
		})
		plan.SetProvider(eu)
	}},
	one("HH-EC2-001", "aws_launch_template", map[string]any{"metadata_options": map[string]any{"http_tokens": "optional"}}),
	one("HH-EKS-001", "aws_eks_cluster", map[string]any{"vpc_config": map[string]any{"endpoint_private_access": true, "endpoint_public_access": true, "subnet_ids": []string{"a"}}}),
	one("HH-EKS-002", "aws_eks_cluster", map[string]any{"encryption_config": nil}),
	one("HH-EKS-003", "aws_eks_cluster", map[string]any{"enabled_cluster_log_types": []string{"api"}}),
	one("HH-IAM-001", "aws_iam_role", map[string]any{"assume_role_policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:honeyhive/*"}}}]}`}),
	one("HH-IAM-002", "aws_iam_role_policy", map[string]any{"policy": `{"Version":"2012-10-17","Statement":[{"Sid":"Everything","Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b"}]}`}),
	one("HH-IAM-003", "aws_iam_role_policy", map[string]any{"policy": `{"Version":"2012-10-17","Statement":[{"Sid":"AnyKey","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`}),
	one("HH-IAM-004", "aws_iam_role", map[string]any{"assume_role_policy": `{"Version":"2012-10-17","Statement":[{"Sid":"Anyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`}),
	one("HH-IAM-005", "aws_iam_role_policy", map[string]any{"policy": "${jsonencode({Statement = []})}"}),
	one("HH-KMS-001", "aws_kms_key", map[string]any{"enable_key_rotation": false}),
	one("HH-KMS-002", "aws_kms_key", map[string]any{"deletion_window_in_days": nil}),
	one("HH-LOG-001", "aws_cloudwatch_log_group", map[string]any{"kms_key_id": nil}),
	one("HH-MSG-001", "aws_sqs_queue", map[string]any{"kms_master_key_id": nil}),
	one("HH-NET-001", "aws_vpc_security_group_ingress_rule", map[string]any{"cidr_ipv4": "0.0.0.0/0", "from_port": 22, "to_port": 22}),
	{"HH-NET-002", vpc(false, nil)},
	{"HH-NET-003", vpc(true, map[string]any{"ingress": []map[string]any{{"from_port": 0, "to_port": 0, "protocol": "-1", "self": true}}})},
	{"HH-POLICY-001", func(scope constructs.Construct, id string) {
		// A suppression written by hand, without a reason, of a rule the
		// queue does break.
		r := res(scope, id, "aws_sqs_queue", nil)
		r.AddOverride(jsii.String("//."+suppressionsKey+".HH-MSG-001"), "x")
	}},
	one("HH-RDS-001", "aws_rds_cluster", map[string]any{"storage_encrypted": false}),
	one("HH-RDS-002", "aws_rds_cluster", map[string]any{"deletion_protection": false}),
	one("HH-RDS-003", "aws_rds_cluster", map[string]any{"backup_retention_period": 1}),
	{"HH-S3-001", func(scope constructs.Construct, id string) {
		bucket(scope, id, map[string]map[string]any{"aws_s3_bucket_server_side_encryption_configuration": {
			"rule": []map[string]any{{"apply_server_side_encryption_by_default": map[string]any{"sse_algorithm": "AES256"}}},
		}})
	}},
	{"HH-S3-002", func(scope constructs.Construct, id string) {
		bucket(scope, id, map[string]map[string]any{"aws_s3_bucket_public_access_block": {"restrict_public_buckets": false}})
	}},
	{"HH-S3-003", func(scope constructs.Construct, id string) {
		bucket(scope, id, map[string]map[string]any{"aws_s3_bucket_versioning": {"versioning_configuration": map[string]any{"status": "Suspended"}}})
	}},
	{"HH-S3-004", func(scope constructs.Construct, id string) {
		bucket(scope, id, map[string]map[string]any{"aws_s3_bucket_policy": nil})
	}},
	one("HH-STATE-001", "aws_dynamodb_table", map[string]any{keepState: false}),
	one("HH-TLS-001", "aws_lb_listener", map[string]any{"ssl_policy": "ELBSecurityPolicy-2016-08"}),
}

// synth synthesizes stack as the app does, with the "//" metadata blocks
// that hold construct paths and suppressions, which Testing_Synth leaves
// out.
func synth(t *testing.T, stack cdktf.TerraformStack) map[string]any {
	t.Helper()
	dir := cdktf.Testing_FullSynth(stack)
	// FullSynth writes into a new temporary folder of its own.
	t.Cleanup(func() { os.RemoveAll(*dir) })
	data, err := os.ReadFile(filepath.Join(*dir, "stacks", *stack.Node().Id(), "cdk.tf.json"))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	return doc
}

// checkStack synthesizes stack and checks it as a prod stack in us-west-2.
func checkStack(t *testing.T, stack cdktf.TerraformStack) Report {
	t.Helper()
	return Check([]Stack{{Name: "test", Region: "us-west-2", Tier: "prod", Document: synth(t, stack)}})
}

// caseID is the construct ID of the case for rule.
func caseID(rule string) string {
	return strings.ToLower(strings.ReplaceAll(rule, "-", "_"))
}

func TestEveryRuleHasACase(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range ruleCases {
		covered[c.rule] = true
	}
	for _, r := range Rules() {
		assert.Truef(t, covered[r.ID], "rule %s has no case that breaks it", r.ID)
		assert.NotEmpty(t, r.Title, r.ID)
		assert.NotEmpty(t, r.Rationale, r.ID)
	}
}

func TestEachBrokenRuleIsReported(t *testing.T) {
	stack := synthtest.Stack(t)
	for _, c := range ruleCases {
		c.build(stack, caseID(c.rule))
	}
	report := checkStack(t, stack)

	for _, c := range ruleCases {
		t.Run(c.rule, func(t *testing.T) {
			var rules []string
			for _, v := range report.Violations {
				if strings.HasPrefix(v.Path, "test/"+caseID(c.rule)) {
					rules = append(rules, v.Rule)
					assert.NotEmpty(t, v.Problem)
					assert.NotEmpty(t, v.Fix)
				}
			}
			assert.Equal(t, []string{c.rule}, rules, "the case breaks its rule and no other")
		})
	}
}

// variantCases break a rule in a less obvious way than ruleCases.
var variantCases = []struct {
	name, rule string
	build      func(scope constructs.Construct, id string)
}{
	{"Allow with NotAction", "HH-IAM-002", func(scope constructs.Construct, id string) {
		res(scope, id, "aws_iam_policy", map[string]any{"policy": `{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`})
	}},
	{"AdministratorAccess through managed_policy_arns", "HH-IAM-002", func(scope constructs.Construct, id string) {
		res(scope, id, "aws_iam_role", merge(good["aws_iam_role"], map[string]any{"managed_policy_arns": []string{"arn:aws:iam::aws:policy/AdministratorAccess"}}))
	}},
	{"AdministratorAccess through a policy attachment", "HH-IAM-002", func(scope constructs.Construct, id string) {
		res(scope, id, "aws_iam_policy_attachment", map[string]any{"name": "admins", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"})
	}},
	{"decrypt with keys of every account", "HH-IAM-003", func(scope constructs.Construct, id string) {
		res(scope, id, "aws_iam_role_policy", map[string]any{"role": "r", "policy": `{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:*:*:key/*"}]}`})
	}},
	{"objects of every bucket", "HH-IAM-003", func(scope constructs.Construct, id string) {
		res(scope, id, "aws_iam_role_policy", map[string]any{"role": "r", "policy": `{"Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::*/*"}]}`})
	}},
	{"GitHub trust through a policy document", "HH-IAM-001", func(scope constructs.Construct, id string) {
		doc := cdktf.NewTerraformDataSource(scope, jsii.String(id+"_document"), &cdktf.TerraformResourceConfig{TerraformResourceType: jsii.String("aws_iam_policy_document")})
		doc.AddOverride(jsii.String("statement"), []map[string]any{{
			"actions":    []string{"sts:AssumeRoleWithWebIdentity"},
			"principals": []map[string]any{{"type": "Federated", "identifiers": []string{"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}}},
			"condition":  []map[string]any{{"test": "StringLike", "variable": "token.actions.githubusercontent.com:sub", "values": []string{"repo:*"}}},
		}})
		res(scope, id, "aws_iam_role", map[string]any{"assume_role_policy": "${data.aws_iam_policy_document." + id + "_document.json}"})
	}},
	{"GitHub trust with the action in lower case", "HH-IAM-001", func(scope constructs.Construct, id string) {
		res(scope, id, "aws_iam_role", map[string]any{"assume_role_policy": `{"Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:assumerolewithwebidentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*"}}}]}`})
	}},
	{"cluster endpoint public by default", "HH-EKS-001", func(scope constructs.Construct, id string) {
		res(scope, id, "aws_eks_cluster", merge(good["aws_eks_cluster"], map[string]any{"vpc_config": map[string]any{"endpoint_private_access": true, "subnet_ids": []string{"a", "b"}}}))
	}},
	{"listener protocol in lower case", "HH-TLS-001", func(scope constructs.Construct, id string) {
		res(scope, id, "aws_alb_listener", map[string]any{"protocol": "https", "port": 443, "ssl_policy": "ELBSecurityPolicy-2016-08"})
	}},
	{"instance with IMDSv1", "HH-EC2-001", func(scope constructs.Construct, id string) {
		res(scope, id, "aws_instance", map[string]any{"ami": "ami-0123456789abcdef0"})
	}},
	{"EU database backups copied to the US", "HH-DATA-001", func(scope constructs.Construct, id string) {
		res(scope, id, "aws_db_instance_automated_backups_replication", map[string]any{"source_db_instance_arn": "arn:aws:rds:eu-west-1:111122223333:db:eu"})
	}},
	{"suppression that excuses nothing", "HH-POLICY-001", func(scope constructs.Construct, id string) {
		Suppress(res(scope, id, "aws_sqs_queue", good["aws_sqs_queue"]), "HH-MSG-001", "the queue carries only public build notifications")
	}},
}

func TestRuleVariantsAreReported(t *testing.T) {
	stack := synthtest.Stack(t)
	for i, c := range variantCases {
		c.build(stack, fmt.Sprintf("variant_%02d", i))
	}
	report := checkStack(t, stack)

	for i, c := range variantCases {
		t.Run(c.name, func(t *testing.T) {
			var rules []string
			for _, v := range report.Violations {
				if strings.HasPrefix(v.Path, fmt.Sprintf("test/variant_%02d", i)) {
					rules = append(rules, v.Rule)
				}
			}
			assert.Contains(t, rules, c.rule)
		})
	}
}

func TestCompliantResourcesPass(t *testing.T) {
	stack := synthtest.Stack(t)
	for typ := range good {
		res(stack, "good_"+strings.TrimPrefix(typ, "aws_"), typ, good[typ])
	}
	bucket(stack, "good_bucket", nil)
	vpc(true, nil)(stack, "good_vpc")

	// The public load balancer may open 443 to everyone.
	entry := constructs.NewConstruct(stack, jsii.String("public_entry"))
	res(entry, "https", "aws_vpc_security_group_ingress_rule", map[string]any{"cidr_ipv4": "0.0.0.0/0", "from_port": 443, "to_port": 443, "ip_protocol": "tcp"})

	report := checkStack(t, stack)
	assert.Empty(t, report.Violations)
}

func TestTestTierMayOpenTheClusterAPI(t *testing.T) {
	stack := synthtest.Stack(t)
	res(stack, "cluster", "aws_eks_cluster", merge(good["aws_eks_cluster"], map[string]any{
		"vpc_config": map[string]any{"endpoint_private_access": true, "endpoint_public_access": true, "public_access_cidrs": []string{"203.0.113.0/24"}},
	}))
	doc := synth(t, stack)

	test := Check([]Stack{{Name: "test", Region: "us-west-2", Tier: "test", Document: doc}})
	assert.Empty(t, test.Violations, "a test cluster may have a public endpoint for listed ranges")

	prod := Check([]Stack{{Name: "test", Region: "us-west-2", Tier: "prod", Document: doc}})
	require.Len(t, prod.Violations, 1)
	assert.Equal(t, "HH-EKS-001", prod.Violations[0].Rule)
}

func TestSuppressionNeedsAKnownRuleAndAReason(t *testing.T) {
	stack := synthtest.Stack(t)
	r := res(stack, "queue", "aws_sqs_queue", nil)

	assert.PanicsWithValue(t, `policy: Suppress: unknown rule "HH-NOPE-001"; use one of the IDs in policy.Rules() other than HH-POLICY-001`, func() {
		Suppress(r, "HH-NOPE-001", "a reason that is long enough")
	})
	assert.Panics(t, func() { Suppress(r, "HH-MSG-001", "ok") }, "a placeholder reason is refused")
}

func TestSuppressedViolationIsReportedWithItsReason(t *testing.T) {
	stack := synthtest.Stack(t)
	queue := res(stack, "queue", "aws_sqs_queue", nil)
	Suppress(queue, "HH-MSG-001", "the queue carries only public build notifications")
	res(stack, "other_queue", "aws_sqs_queue", nil)

	report := checkStack(t, stack)

	require.Len(t, report.Suppressions, 1)
	assert.Equal(t, Suppression{
		Rule: "HH-MSG-001", Stack: "test", Path: "test/queue", Address: "aws_sqs_queue.queue",
		Reason: "the queue carries only public build notifications",
	}, report.Suppressions[0])

	require.Len(t, report.Violations, 1, "the suppression covers its own resource only")
	assert.Equal(t, "test/other_queue", report.Violations[0].Path)
}

func TestREADMEListsEveryRule(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	for _, r := range Rules() {
		assert.Containsf(t, string(readme), "| `"+r.ID+"` | "+r.Title+" |", "the README's rule table lacks %s", r.ID)
	}
}
