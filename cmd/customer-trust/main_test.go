package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/environments"
)

func TestPrintsTheTrustPolicyOfEachCustomerDeployment(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run(&stdout, &stderr, environments.All(), nil), stderr.String())

	out := stdout.String()
	assert.Contains(t, out, "# acme (Acme Corp): create role honeyhive-deploy in account 200000000001")
	assert.Contains(t, out, "# globex (Globex Corporation): create role honeyhive-deploy in account 200000000002")
	assert.NotContains(t, out, "# prod", "HoneyHive's own accounts need no customer trust")
	assert.NotContains(t, out, "# globex-cp", "the hybrid control plane runs in HoneyHive's account")
}

func TestTrustPolicyPinsTheCIRoleAndExternalID(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run(&stdout, &stderr, environments.All(), []string{"acme"}), stderr.String())

	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Len(t, lines, 2)
	var policy struct {
		Statement []struct {
			Principal map[string][]string
			Action    []string
			Condition map[string]map[string][]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &policy))
	require.Len(t, policy.Statement, 1)
	st := policy.Statement[0]
	assert.Equal(t, []string{"arn:aws:iam::100000000001:role/github-deploy-acme"}, st.Principal["AWS"])
	assert.Equal(t, []string{"honeyhive-acme-deploy-4c1e9a"}, st.Condition["StringEquals"]["sts:ExternalId"])
}

func TestRejectsADeploymentInHoneyHivesAccounts(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run(&stdout, &stderr, environments.All(), []string{"prod"}))
	assert.Contains(t, stderr.String(), `"prod" is not a deployment in a customer's account`)
	assert.Empty(t, stdout.String(), "nothing is printed for a bad request")
}
