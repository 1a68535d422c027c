package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResourceOfSearchKeys(t *testing.T) {
	cases := map[string]string{
		"aws_iam_role[state_role_test].assume_role_policy":                       "aws_iam_role.state_role_test",
		"aws_default_security_group[{{network_default_security_group}}].ingress": "aws_default_security_group.network_default_security_group",
		"resource.aws_iam_role.deploy_role_globex_cp_role":                       "aws_iam_role.deploy_role_globex_cp_role",
		"": "",
	}
	for key, want := range cases {
		assert.Equal(t, want, resourceOf(key), key)
	}
}

func TestReadResultsNamesStackAndResource(t *testing.T) {
	findings, scanned, err := readResults("testdata/results.json")
	require.NoError(t, err)

	assert.Equal(t, 3, scanned)
	require.Len(t, findings, 4)
	assert.Equal(t, finding{
		QueryID:   "09c35abf-5852-4622-ac7a-b987b331232e",
		QueryName: "Cross-Account IAM Assume Role Policy Without ExternalId or MFA",
		Severity:  "HIGH",
		Stack:     "orchestration",
		Resource:  "aws_iam_role.state_role_test",
		Line:      178,
		Actual:    "'assume_role_policy' does not require external ID or MFA",
	}, findings[0])
}

func TestExclusionsCoverOnlyTheirStacksAndResources(t *testing.T) {
	findings, _, err := readResults("testdata/results.json")
	require.NoError(t, err)
	c := config{Exclusions: []exclusion{
		{
			Query: "09c35abf-5852-4622-ac7a-b987b331232e", Name: "cross-account trust", Reason: "the trusted roles are our own CI roles",
			Stacks: []string{"orchestration"}, Resources: []string{"aws_iam_role.state_role_*"},
		},
		{
			Query: "3e2d3b2f-c22a-4df1-9cc6-a7a0aebb0c99", Name: "generic secret", Reason: "key names of a Kubernetes Secret reference",
			Stacks: []string{"*-application"},
		},
		{
			Query: "084c6686-2a70-4710-91b1-000393e54c12", Name: "Shield Advanced", Reason: "a commercial decision not made yet",
		},
	}}

	r := c.apply(findings)

	require.Len(t, r.left, 2, "the node role's trust and the default security group stay")
	assert.Equal(t, "aws_iam_role.karpenter_node_role", r.left[0].Resource, "a glob on state roles does not cover other roles")
	assert.Equal(t, "aws_default_security_group.network_default_security_group", r.left[1].Resource)
	assert.Equal(t, 2, r.excludedCount())
	require.Len(t, r.stale, 1, "an exclusion that covers nothing is reported")
	assert.Equal(t, "Shield Advanced", r.stale[0].Name)
}

func TestCountPinsHowManyFindingsAnExclusionCovers(t *testing.T) {
	findings, _, err := readResults("testdata/results.json")
	require.NoError(t, err)
	c := config{Exclusions: []exclusion{{
		Query: "09c35abf-5852-4622-ac7a-b987b331232e", Name: "cross-account trust", Reason: "the trusted roles are our own CI roles",
		Count: 1,
	}}}

	r := c.apply(findings)

	require.Len(t, r.miscounted, 1, "a second finding under the same exclusion is caught")
	assert.Equal(t, 2, r.miscounted[0].covered)

	var stdout, stderr bytes.Buffer
	assert.Equal(t, 1, report(&stdout, &stderr, r, 3, time.Second))
	assert.Contains(t, stderr.String(), "cross-account trust (09c35abf-5852-4622-ac7a-b987b331232e): count 1, covered 2")
}

func TestReportFailsOnFindingsAndStaleExclusions(t *testing.T) {
	var stdout, stderr bytes.Buffer
	clean := result{excluded: map[int]int{0: 3}, used: map[int]bool{0: true}}
	assert.Equal(t, 0, report(&stdout, &stderr, clean, 10, time.Second))
	assert.Contains(t, stdout.String(), "3 findings excluded by 1 exclusions, 0 left")
	assert.Empty(t, stderr.String())

	stdout.Reset()
	dirty := result{
		left:     []finding{{QueryID: "q", QueryName: "Open bucket", Severity: "HIGH", Stack: "prod-global", Resource: "aws_s3_bucket.x", Actual: "public"}},
		excluded: map[int]int{}, used: map[int]bool{},
		stale: []exclusion{{Query: "q2", Name: "old"}},
	}
	assert.Equal(t, 1, report(&stdout, &stderr, dirty, 10, time.Second))
	assert.Contains(t, stderr.String(), "HIGH Open bucket (q) prod-global aws_s3_bucket.x: public")
	assert.Contains(t, stderr.String(), "1 exclusions in security/kics.yaml match no finding")
}

func TestConfigRejectsExclusionsWithoutReason(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "kics.yaml")
	require.NoError(t, os.WriteFile(file, []byte(`exclusions:
  - query: not-an-id
    name: ""
    reason: ok
    resources: ["aws_s3_bucket.["]
`), 0o644))

	_, err := loadConfig(file)
	require.Error(t, err)
	assert.ErrorContains(t, err, `query "not-an-id" is not a KICS query ID`)
	assert.ErrorContains(t, err, "name is empty")
	assert.ErrorContains(t, err, `the reason "ok" is too short`)
	assert.ErrorContains(t, err, `"aws_s3_bucket.[" is not a valid glob`)
}

func TestConfigRejectsUnknownKeys(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kics.yaml")
	require.NoError(t, os.WriteFile(file, []byte("exclusions:\n  - query: 084c6686-2a70-4710-91b1-000393e54c12\n    reasons: typo\n"), 0o644))
	_, err := loadConfig(file)
	assert.ErrorContains(t, err, "reasons", "a misspelt key is an error, not an exclusion without a reason")
}

func TestCheckedInExclusionsAreValid(t *testing.T) {
	c, err := loadConfig("../../security/kics.yaml")
	require.NoError(t, err)
	assert.NotEmpty(t, c.Exclusions)
}
