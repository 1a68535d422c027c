package operatoraccess

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const testCIRoleARN = "arn:aws:iam::100000000001:role/github-deploy-byoc"

func TestDeployRoleTrustPolicy(t *testing.T) {
	policy, err := DeployRoleTrustPolicy(testCIRoleARN, testExternalID)
	require.NoError(t, err)
	doc := synthtest.JSON(t, policy)

	assert.Equal(t, "2012-10-17", doc["Version"])
	all := statements(t, doc)
	require.Len(t, all, 1)
	statement := all[0]
	assert.Equal(t, "Allow", statement["Effect"])
	assert.Equal(t, map[string]any{"AWS": []any{testCIRoleARN}}, statement["Principal"])
	assert.Equal(t, []any{"sts:AssumeRole", "sts:TagSession"}, statement["Action"])
	assert.Equal(t, map[string]any{
		"StringEquals": map[string]any{"sts:ExternalId": []any{testExternalID}},
	}, statement["Condition"])
	assert.NotContains(t, statement, "Resource", "a trust policy names no resource")
}

func TestDeployRoleTrustPolicyInvalidInputs(t *testing.T) {
	cases := []struct {
		name, roleARN, externalID, want string
	}{
		{"missing role", "", testExternalID, "DeployRoleTrustPolicy ciRoleARN is missing"},
		{"wildcard role", "arn:aws:iam::100000000001:role/*", testExternalID, `ciRoleARN: "arn:aws:iam::100000000001:role/*" is not an IAM role ARN`},
		{"account root", "arn:aws:iam::100000000001:root", testExternalID, "is not an IAM role ARN"},
		{"missing external ID", testCIRoleARN, "", "DeployRoleTrustPolicy externalID is missing"},
		{"short external ID", testCIRoleARN, "x", `externalID: "x" is too short`},
		{"external ID with quote", testCIRoleARN, `hh"acme`, `contains '"', which STS does not accept`},
		{"long external ID", testCIRoleARN, strings.Repeat("a", 1225), "externalID is 1225 characters long"},
		{"role path too long", "arn:aws:iam::100000000001:role/" + strings.Repeat("p", 520) + "/deploy", testExternalID, "the role path is 522 characters long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			policy, err := DeployRoleTrustPolicy(c.roleARN, c.externalID)
			assert.ErrorContains(t, err, "operatoraccess: ")
			assert.ErrorContains(t, err, c.want)
			assert.Empty(t, policy)
		})
	}
}

func TestDeployRoleTrustPolicyReportsBothInputs(t *testing.T) {
	_, err := DeployRoleTrustPolicy("", "")
	assert.ErrorContains(t, err, "ciRoleARN is missing")
	assert.ErrorContains(t, err, "externalID is missing")
}
