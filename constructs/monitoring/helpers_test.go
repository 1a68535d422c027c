package monitoring

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/constructs/addons"
	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testAccountID   = "100000000004"
	testClusterARN  = "arn:aws:eks:us-west-2:100000000004:cluster/prod-usw2"
	testSecretsKey  = "arn:aws:kms:us-west-2:100000000004:key/0a1b2c3d-0000-4000-8000-000000000001"
	testLogsKey     = "arn:aws:kms:us-west-2:100000000004:key/0a1b2c3d-0000-4000-8000-000000000002"
	testTracesKey   = "arn:aws:kms:us-west-2:100000000004:key/0a1b2c3d-0000-4000-8000-000000000003"
	testLogGroupARN = "arn:aws:logs:us-west-2:100000000004:log-group:/honeyhive/prod-usw2/containers"
)

// testConfig returns a valid production-like Config with literal values.
func testConfig() Config {
	return Config{
		Cluster: addons.ClusterInfo{
			Name:      "prod-usw2",
			NameToken: jsii.String("prod-usw2"),
			ARN:       jsii.String(testClusterARN),
			AccountID: testAccountID,
			Region:    "us-west-2",
		},
		Name:                    "prod-usw2",
		SecretsPrefix:           "prod/usw2/",
		SecretsKMSKeyARN:        jsii.String(testSecretsKey),
		LogsKMSKeyARN:           jsii.String(testLogsKey),
		LogRetentionDays:        365,
		TracesKMSKeyARN:         jsii.String(testTracesKey),
		PrometheusRetentionDays: 30,
		PrometheusStorageGiB:    500,
		HighAvailability:        true,
	}
}

// synthConfig synthesizes one Monitoring built from cfg under the ID
// "monitoring".
func synthConfig(t *testing.T, cfg Config) synthtest.Document {
	t.Helper()
	stack := synthtest.Stack(t)
	New(stack, "monitoring", cfg)
	return synthtest.Synth(t, stack)
}

// hasNull reports whether the map at the dotted path has key set to null,
// which Helm reads as "delete this key from the chart's defaults".
func hasNull(values map[string]any, dotted, key string) bool {
	m, ok := synthtest.ValueAt(values, dotted).(map[string]any)
	if !ok {
		return false
	}
	value, present := m[key]
	return present && value == nil
}

// stringList returns a JSON value that is a string or a list of strings as
// a slice.
func stringList(t *testing.T, value any) []string {
	t.Helper()
	switch v := value.(type) {
	case nil:
		return nil
	case string:
		return []string{v}
	case []any:
		list := make([]string, len(v))
		for i, item := range v {
			s, ok := item.(string)
			require.Truef(t, ok, "list item %v is not a string", item)
			list[i] = s
		}
		return list
	default:
		require.Failf(t, "not a string or list", "%T %v", value, value)
		return nil
	}
}

// policyStatements decodes the inline policy of an aws_iam_role_policy and
// returns its statements by Sid.
func policyStatements(t *testing.T, doc synthtest.Document, name string) map[string]map[string]any {
	t.Helper()
	policy := synthtest.JSON(t, doc.Resource(t, "aws_iam_role_policy", name)["policy"])
	assert.Equal(t, "2012-10-17", policy["Version"])

	bySid := map[string]map[string]any{}
	for _, raw := range policy["Statement"].([]any) {
		statement := raw.(map[string]any)
		sid, _ := statement["Sid"].(string)
		require.NotEmpty(t, sid, "every statement has a Sid")
		require.NotContains(t, bySid, sid, "Sids are unique")
		bySid[sid] = statement
	}
	return bySid
}

// assertNoWildcards checks every statement of a policy: it allows, names
// no action with a wildcard, and names resources. A statement whose
// resources include "*" must be allowedOnStar, with exactly the actions
// given for it.
func assertNoWildcards(t *testing.T, statements map[string]map[string]any, allowedOnStar map[string][]string) {
	t.Helper()
	for sid, statement := range statements {
		assert.Equalf(t, "Allow", statement["Effect"], "statement %s", sid)
		actions := stringList(t, statement["Action"])
		require.NotEmptyf(t, actions, "statement %s has no actions", sid)
		for _, action := range actions {
			assert.NotContainsf(t, action, "*", "statement %s has a wildcard action", sid)
		}

		resources := stringList(t, statement["Resource"])
		require.NotEmptyf(t, resources, "statement %s has no resources", sid)
		for _, resource := range resources {
			if resource != "*" {
				continue
			}
			want, ok := allowedOnStar[sid]
			if assert.Truef(t, ok, "statement %s grants %v on \"*\"", sid, actions) {
				assert.ElementsMatchf(t, want, actions, "statement %s", sid)
			}
		}
	}
}

// fluentBitSections parses a classic Fluent Bit configuration into its
// sections, each as its kind and its properties with lowercase keys.
func fluentBitSections(t *testing.T, text string) []map[string]string {
	t.Helper()
	var sections []map[string]string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			sections = append(sections, map[string]string{"[kind]": strings.Trim(line, "[]")})
		default:
			require.NotEmptyf(t, sections, "property %q outside a section", line)
			key, value, found := strings.Cut(line, " ")
			require.Truef(t, found, "property %q has no value", line)
			sections[len(sections)-1][strings.ToLower(key)] = strings.TrimSpace(value)
		}
	}
	return sections
}
