package operatoraccess

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testAccountID      = "200000000002"
	testTrustedRoleARN = "arn:aws:iam::100000000001:role/honeyhive-operators"
	testExternalID     = "hh-acme-7f3c9a2e"
)

func validRoleConfig() RoleConfig {
	return RoleConfig{
		AccountID:        testAccountID,
		Region:           "us-west-2",
		TrustedRoleARN:   testTrustedRoleARN,
		ExternalID:       testExternalID,
		ClusterNames:     []string{"acme-usw2", "acme-usw2-batch"},
		LogGroupPrefixes: []string{"/aws/eks/acme-usw2/", "/honeyhive/acme-usw2/"},
	}
}

// synthRole synthesizes one operator role with id "operator_access" and
// returns the role resource and its decoded inline policy.
func synthRole(t *testing.T, cfg RoleConfig) (role map[string]any, policy map[string]any, doc synthtest.Document) {
	t.Helper()
	stack := synthtest.Stack(t)
	NewRole(stack, "operator_access", cfg)
	doc = synthtest.Synth(t, stack)
	role = doc.Resource(t, "aws_iam_role", "operator_access_role")
	policy = synthtest.JSON(t, doc.Resource(t, "aws_iam_role_policy", "operator_access_policy")["policy"])
	return role, policy, doc
}

// statements returns the Statement list of a decoded policy as maps.
func statements(t *testing.T, policy map[string]any) []map[string]any {
	t.Helper()
	raw, ok := policy["Statement"].([]any)
	require.Truef(t, ok, "policy has no Statement list: %v", policy)
	result := make([]map[string]any, len(raw))
	for i, s := range raw {
		result[i], ok = s.(map[string]any)
		require.Truef(t, ok, "statement %d is not an object: %v", i, s)
	}
	return result
}

// stringList returns a decoded JSON list of strings.
func stringList(t *testing.T, value any) []string {
	t.Helper()
	raw, ok := value.([]any)
	require.Truef(t, ok, "expected a list, got %T: %v", value, value)
	result := make([]string, len(raw))
	for i, v := range raw {
		result[i], ok = v.(string)
		require.Truef(t, ok, "element %d is not a string: %v", i, v)
	}
	return result
}

func TestNewRole(t *testing.T) {
	stack := synthtest.Stack(t)
	role := NewRole(stack, "operator_access", validRoleConfig())
	require.NotNil(t, role.ARN)
	assert.Equal(t, "honeyhive-operator", role.Name)
	doc := synthtest.Synth(t, stack)

	resource := doc.Resource(t, "aws_iam_role", "operator_access_role")
	assert.Equal(t, "honeyhive-operator", resource["name"])
	assert.EqualValues(t, 3600, resource["max_session_duration"])
	assert.Equal(t, map[string]any{"Name": "honeyhive-operator"}, resource["tags"])
	assert.Contains(t, resource["description"], testTrustedRoleARN)
	assert.Contains(t, resource["description"], "Delete this role to revoke")
	assert.NotContains(t, resource, "lifecycle", "the customer must be able to delete the role to revoke access")

	policy := doc.Resource(t, "aws_iam_role_policy", "operator_access_policy")
	assert.Equal(t, "${aws_iam_role.operator_access_role.name}", policy["role"])
	assert.Equal(t, "honeyhive-operator", policy["name"])

	assert.Len(t, doc.Resources("aws_iam_role"), 1)
	assert.Len(t, doc.Resources("aws_iam_role_policy"), 1)
	assert.Empty(t, doc.Resources("aws_iam_role_policy_attachment"), "no managed policy may widen the role")
}

func TestRoleTrustPolicy(t *testing.T) {
	role, _, _ := synthRole(t, validRoleConfig())
	trust := synthtest.JSON(t, role["assume_role_policy"])

	all := statements(t, trust)
	require.Len(t, all, 1)
	statement := all[0]
	assert.Equal(t, "Allow", statement["Effect"])
	assert.Equal(t, map[string]any{"AWS": []any{testTrustedRoleARN}}, statement["Principal"],
		"the trusted role is the only principal, named exactly")
	assert.Equal(t, []any{"sts:AssumeRole"}, statement["Action"])
	assert.Equal(t, map[string]any{
		"StringEquals": map[string]any{"sts:ExternalId": []any{testExternalID}},
	}, statement["Condition"], "the external ID is the only condition and is compared exactly")
}

func TestRolePolicyLeastPrivilege(t *testing.T) {
	_, policy, _ := synthRole(t, validRoleConfig())
	allowedVerbs := []string{"Describe", "Get", "List", "Filter", "Start", "Stop"}
	allowedServices := []string{"eks", "logs", "cloudwatch"}

	var unscoped []string
	for _, statement := range statements(t, policy) {
		assert.Equal(t, "Allow", statement["Effect"], statement["Sid"])
		actions := stringList(t, statement["Action"])
		resources := stringList(t, statement["Resource"])

		for _, action := range actions {
			service, verb, found := strings.Cut(action, ":")
			require.Truef(t, found, "action %q has no service prefix", action)
			assert.NotContains(t, action, "*", "wildcard action")
			assert.Contains(t, allowedServices, service, "action %q is outside EKS and CloudWatch", action)
			assert.Truef(t, slices.ContainsFunc(allowedVerbs, func(prefix string) bool { return strings.HasPrefix(verb, prefix) }),
				"action %q is not a read or query action", action)
		}

		if slices.Contains(resources, "*") {
			assert.Equal(t, []string{"*"}, resources, "statement %v mixes \"*\" with ARNs", statement["Sid"])
			unscoped = append(unscoped, actions...)
		}
	}

	sort.Strings(unscoped)
	assert.Equal(t, []string{
		"cloudwatch:GetMetricData",
		"cloudwatch:ListMetrics",
		"eks:ListClusters",
		"logs:DescribeLogGroups",
		"logs:GetQueryResults",
		"logs:StopQuery",
	}, unscoped, "only actions without resource-level permissions may use \"*\"")
}

func TestRolePolicyScopedResources(t *testing.T) {
	_, policy, _ := synthRole(t, validRoleConfig())

	byAction := map[string][]string{}
	for _, statement := range statements(t, policy) {
		for _, action := range stringList(t, statement["Action"]) {
			byAction[action] = stringList(t, statement["Resource"])
		}
	}

	assert.Equal(t, []string{
		"arn:aws:eks:us-west-2:200000000002:cluster/acme-usw2",
		"arn:aws:eks:us-west-2:200000000002:cluster/acme-usw2-batch",
	}, byAction["eks:DescribeCluster"])

	logGroups := []string{
		"arn:aws:logs:us-west-2:200000000002:log-group:/aws/eks/acme-usw2/*",
		"arn:aws:logs:us-west-2:200000000002:log-group:/honeyhive/acme-usw2/*",
	}
	for _, action := range []string{"logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "logs:DescribeLogStreams"} {
		assert.Equal(t, logGroups, byAction[action], action)
	}
}

func TestNewRoleGovCloud(t *testing.T) {
	cfg := validRoleConfig()
	cfg.Name = "honeyhive-operator-gov"
	cfg.Partition = "aws-us-gov"
	cfg.Region = "us-gov-west-1"
	cfg.TrustedRoleARN = "arn:aws-us-gov:iam::100000000001:role/honeyhive-operators"
	cfg.ClusterNames = []string{"acme-gov"}
	cfg.LogGroupPrefixes = []string{"/aws/eks/acme-gov/"}
	cfg.MaxSessionSeconds = 7200
	role, policy, _ := synthRole(t, cfg)

	assert.Equal(t, "honeyhive-operator-gov", role["name"])
	assert.EqualValues(t, 7200, role["max_session_duration"])

	var resources []string
	for _, statement := range statements(t, policy) {
		resources = append(resources, stringList(t, statement["Resource"])...)
	}
	assert.Contains(t, resources, "arn:aws-us-gov:eks:us-gov-west-1:200000000002:cluster/acme-gov")
	assert.Contains(t, resources, "arn:aws-us-gov:logs:us-gov-west-1:200000000002:log-group:/aws/eks/acme-gov/*")
}

func TestRoleConfigDefaults(t *testing.T) {
	defaulted := RoleConfig{}.withDefaults()
	assert.Equal(t, "honeyhive-operator", defaulted.Name)
	assert.Equal(t, "aws", defaulted.Partition)
	assert.Equal(t, 3600, defaulted.MaxSessionSeconds)

	set := RoleConfig{Name: "ops", Partition: "aws-us-gov", MaxSessionSeconds: 7200}.withDefaults()
	assert.Equal(t, "ops", set.Name)
	assert.Equal(t, "aws-us-gov", set.Partition)
	assert.Equal(t, 7200, set.MaxSessionSeconds)
}

func TestRoleConfigValidate(t *testing.T) {
	require.NoError(t, validRoleConfig().withDefaults().Validate())

	cases := []struct {
		name   string
		mutate func(*RoleConfig)
		want   string
	}{
		{"invalid name", func(c *RoleConfig) { c.Name = "honeyhive operator" }, `RoleConfig.Name: "honeyhive operator" is not a valid IAM role name`},
		{"missing account", func(c *RoleConfig) { c.AccountID = "" }, `RoleConfig.AccountID: "" is not a 12-digit AWS account ID`},
		{"missing region", func(c *RoleConfig) { c.Region = "" }, "RoleConfig.Region is missing"},
		{"unsupported partition", func(c *RoleConfig) { c.Partition = "aws-cn" }, `RoleConfig.Partition: "aws-cn" is not supported`},

		{"missing trusted role", func(c *RoleConfig) { c.TrustedRoleARN = "" }, "RoleConfig.TrustedRoleARN is missing"},
		{"wildcard trusted role", func(c *RoleConfig) { c.TrustedRoleARN = "arn:aws:iam::100000000001:role/*" }, `RoleConfig.TrustedRoleARN: "arn:aws:iam::100000000001:role/*" is not an IAM role ARN`},
		{"account root as trusted role", func(c *RoleConfig) { c.TrustedRoleARN = "arn:aws:iam::100000000001:root" }, "is not an IAM role ARN"},
		{"trusted user", func(c *RoleConfig) { c.TrustedRoleARN = "arn:aws:iam::100000000001:user/alice" }, "is not an IAM role ARN"},
		{"trusted role in customer account", func(c *RoleConfig) { c.TrustedRoleARN = "arn:aws:iam::200000000002:role/admin" }, `RoleConfig.TrustedRoleARN: "arn:aws:iam::200000000002:role/admin" is in the customer's account 200000000002`},
		{"trusted role in other partition", func(c *RoleConfig) { c.TrustedRoleARN = "arn:aws-us-gov:iam::100000000001:role/honeyhive-operators" }, `is in partition "aws-us-gov", not "aws"`},

		{"missing external ID", func(c *RoleConfig) { c.ExternalID = "" }, "RoleConfig.ExternalID is missing"},
		{"one-character external ID", func(c *RoleConfig) { c.ExternalID = "a" }, `RoleConfig.ExternalID: "a" is too short; use 2 to 1224 characters`},
		{"long external ID", func(c *RoleConfig) { c.ExternalID = strings.Repeat("a", 1225) }, "RoleConfig.ExternalID is 1225 characters long; use 2 to 1224 characters"},
		{"external ID with space", func(c *RoleConfig) { c.ExternalID = "hh acme" }, `RoleConfig.ExternalID: "hh acme" contains ' ', which STS does not accept`},
		{"external ID with wildcard", func(c *RoleConfig) { c.ExternalID = "hh-*" }, `contains '*', which STS does not accept`},

		{"no clusters", func(c *RoleConfig) { c.ClusterNames = nil }, "RoleConfig.ClusterNames is empty"},
		{"invalid cluster", func(c *RoleConfig) { c.ClusterNames = []string{"acme-*"} }, `RoleConfig.ClusterNames[0]: "acme-*" is not a valid EKS cluster name`},
		{"repeated cluster", func(c *RoleConfig) { c.ClusterNames = []string{"acme", "acme"} }, `RoleConfig.ClusterNames[1] repeats ClusterNames[0] ("acme")`},

		{"no log group prefixes", func(c *RoleConfig) { c.LogGroupPrefixes = nil }, "RoleConfig.LogGroupPrefixes is empty"},
		{"relative prefix", func(c *RoleConfig) { c.LogGroupPrefixes = []string{"aws/eks/acme/"} }, `RoleConfig.LogGroupPrefixes[0]: "aws/eks/acme/" does not start with "/"`},
		{"prefix without trailing slash", func(c *RoleConfig) { c.LogGroupPrefixes = []string{"/aws/eks/acme"} }, `"/aws/eks/acme" does not end with "/"`},
		{"wildcard prefix", func(c *RoleConfig) { c.LogGroupPrefixes = []string{"/aws/*/"} }, `"/aws/*/" contains characters that log group names cannot have`},
		{"root prefix", func(c *RoleConfig) { c.LogGroupPrefixes = []string{"/"} }, `"/" is too broad`},
		{"one-segment prefix", func(c *RoleConfig) { c.LogGroupPrefixes = []string{"/aws/"} }, `"/aws/" is too broad`},
		{"empty segment", func(c *RoleConfig) { c.LogGroupPrefixes = []string{"/aws//acme/"} }, `"/aws//acme/" has an empty path segment`},
		{"long prefix", func(c *RoleConfig) { c.LogGroupPrefixes = []string{"/a/" + strings.Repeat("b", 508) + "/"} }, "is 512 characters long; use at most 511"},
		{"repeated prefix", func(c *RoleConfig) { c.LogGroupPrefixes = []string{"/a/b/", "/a/b/"} }, `RoleConfig.LogGroupPrefixes[1] repeats LogGroupPrefixes[0] ("/a/b/")`},

		{"session too short", func(c *RoleConfig) { c.MaxSessionSeconds = 900 }, "RoleConfig.MaxSessionSeconds: 900 is out of range; use 3600 to 43200 seconds"},
		{"session too long", func(c *RoleConfig) { c.MaxSessionSeconds = 43201 }, "RoleConfig.MaxSessionSeconds: 43201 is out of range"},

		{"inline policy too long", func(c *RoleConfig) {
			c.LogGroupPrefixes = nil
			for i := range 150 {
				c.LogGroupPrefixes = append(c.LogGroupPrefixes, fmt.Sprintf("/honeyhive/tenant-%03d/", i))
			}
		}, "RoleConfig: the inline policy for 2 clusters and 150 log group prefixes is"},
		{"trusted role path too long", func(c *RoleConfig) {
			c.TrustedRoleARN = "arn:aws:iam::100000000001:role/" + strings.Repeat("p", 300) + "/" + strings.Repeat("q", 300) + "/operators"
		}, "RoleConfig.TrustedRoleARN: the role path is 603 characters long, longer than the 512 that IAM allows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validRoleConfig()
			c.mutate(&cfg)
			err := cfg.withDefaults().Validate()
			assert.ErrorContains(t, err, "operatoraccess: ")
			assert.ErrorContains(t, err, c.want)
		})
	}
}

func TestRoleConfigValidateReportsEveryProblem(t *testing.T) {
	cfg := validRoleConfig()
	cfg.ExternalID = ""
	cfg.ClusterNames = nil
	cfg.LogGroupPrefixes = []string{"/aws/"}
	err := cfg.withDefaults().Validate()

	assert.ErrorContains(t, err, "RoleConfig.ExternalID is missing")
	assert.ErrorContains(t, err, "RoleConfig.ClusterNames is empty")
	assert.ErrorContains(t, err, `RoleConfig.LogGroupPrefixes[0]: "/aws/" is too broad`)
}

func TestNewRolePanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validRoleConfig()
	cfg.ExternalID = ""
	assert.PanicsWithError(t, "operatoraccess: RoleConfig.ExternalID is missing; set the external ID the customer agreed to with HoneyHive", func() {
		NewRole(stack, "operator_access", cfg)
	})
}

func TestTrustPoliciesFitIAMLimit(t *testing.T) {
	// A role ARN of the maximum length IAM allows, in "aws-us-gov", the
	// partition with the most characters in use: a 512-character path,
	// counting both "/", and a 64-character name.
	maxLengthARN := "arn:aws-us-gov:iam::100000000001:role/" + strings.Repeat("p", 254) + "/" + strings.Repeat("q", 255) + "/" + strings.Repeat("n", 64)
	maxLengthID := strings.Repeat("x", 1224)

	cfg := validRoleConfig()
	cfg.Partition = "aws-us-gov"
	cfg.Region = "us-gov-west-1"
	cfg.TrustedRoleARN = maxLengthARN
	cfg.ExternalID = maxLengthID
	require.NoError(t, cfg.withDefaults().Validate())
	assert.LessOrEqual(t, len(operatorTrustPolicy(maxLengthARN, maxLengthID).JSON()), 2048)

	deploy, err := DeployRoleTrustPolicy(maxLengthARN, maxLengthID)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(deploy), 2048)
}
