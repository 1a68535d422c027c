package karpenter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestInterruptionQueue(t *testing.T) {
	doc := synthDefault(t)

	queue := doc.Resource(t, "aws_sqs_queue", "karpenter_interruption_queue")
	assert.Equal(t, "prod-usw2-karpenter", queue["name"])
	assert.Equal(t, float64(300), queue["message_retention_seconds"])
	assert.Equal(t, true, queue["sqs_managed_sse_enabled"])
	assert.NotContains(t, queue, "kms_master_key_id", "EventBridge cannot deliver to a queue under a customer-managed key without a key policy grant")
}

func TestInterruptionQueuePolicy(t *testing.T) {
	doc := synthDefault(t)

	policy := doc.Resource(t, "aws_sqs_queue_policy", "karpenter_interruption_queue_policy")
	assert.Equal(t, "${aws_sqs_queue.karpenter_interruption_queue.url}", policy["queue_url"])
	statements := policyStatements(t, policy["policy"])
	require.Len(t, statements, 3)

	events := statements["AllowInterruptionRules"]
	assert.Equal(t, "Allow", events["Effect"])
	assert.Equal(t, map[string]any{"Service": []any{"events.amazonaws.com"}}, events["Principal"])
	assert.Equal(t, []string{"sqs:SendMessage"}, stringList(t, events["Action"]))
	assert.Equal(t, []string{queueARNToken}, stringList(t, events["Resource"]))
	assert.ElementsMatch(t, []string{
		"${aws_cloudwatch_event_rule.karpenter_interruption_rule_scheduled_change.arn}",
		"${aws_cloudwatch_event_rule.karpenter_interruption_rule_spot_interruption.arn}",
		"${aws_cloudwatch_event_rule.karpenter_interruption_rule_rebalance.arn}",
		"${aws_cloudwatch_event_rule.karpenter_interruption_rule_instance_state_change.arn}",
	}, condition(t, events, "ArnEquals", "aws:SourceArn"))

	sqs := statements["AllowSQSService"]
	assert.Equal(t, "Allow", sqs["Effect"])
	assert.Equal(t, map[string]any{"Service": []any{"sqs.amazonaws.com"}}, sqs["Principal"])
	assert.Equal(t, []string{"sqs:SendMessage"}, stringList(t, sqs["Action"]))
	assert.Equal(t, []string{queueARNToken}, stringList(t, sqs["Resource"]))
	assert.Equal(t, []string{"100000000004"}, condition(t, sqs, "StringEquals", "aws:SourceAccount"))

	deny := statements["DenyInsecureTransport"]
	assert.Equal(t, "Deny", deny["Effect"])
	assert.Equal(t, map[string]any{"AWS": []any{"*"}}, deny["Principal"])
	assert.Equal(t, []string{"sqs:*"}, stringList(t, deny["Action"]))
	assert.Equal(t, []string{queueARNToken}, stringList(t, deny["Resource"]))
	assert.Equal(t, []string{"false"}, condition(t, deny, "Bool", "aws:SecureTransport"))
}

func TestInterruptionRules(t *testing.T) {
	doc := synthDefault(t)

	want := map[string]struct{ source, detailType string }{
		"karpenter_interruption_rule_scheduled_change":      {"aws.health", "AWS Health Event"},
		"karpenter_interruption_rule_spot_interruption":     {"aws.ec2", "EC2 Spot Instance Interruption Warning"},
		"karpenter_interruption_rule_rebalance":             {"aws.ec2", "EC2 Instance Rebalance Recommendation"},
		"karpenter_interruption_rule_instance_state_change": {"aws.ec2", "EC2 Instance State-change Notification"},
	}
	rules := doc.Resources("aws_cloudwatch_event_rule")
	require.Len(t, rules, 4)

	var detailTypes []string
	for address, rule := range rules {
		expected, ok := want[address]
		require.Truef(t, ok, "unexpected rule %s", address)

		pattern := synthtest.JSON(t, rule["event_pattern"])
		assert.Len(t, pattern, 2, "%s: the pattern matches on source and detail-type only", address)
		assert.Equal(t, []string{expected.source}, stringList(t, pattern["source"]), address)
		assert.Equal(t, []string{expected.detailType}, stringList(t, pattern["detail-type"]), address)
		detailTypes = append(detailTypes, stringList(t, pattern["detail-type"])...)
		assert.Regexp(t, `^prod-usw2-karpenter-[a-z-]+$`, rule["name"], address)
		assert.LessOrEqual(t, len(rule["name"].(string)), 64, address)
	}
	assert.ElementsMatch(t, []string{
		"AWS Health Event",
		"EC2 Spot Instance Interruption Warning",
		"EC2 Instance Rebalance Recommendation",
		"EC2 Instance State-change Notification",
	}, detailTypes)

	targets := doc.Resources("aws_cloudwatch_event_target")
	require.Len(t, targets, 4)
	for address := range want {
		suffix := address[len("karpenter_interruption_rule_"):]
		target := doc.Resource(t, "aws_cloudwatch_event_target", "karpenter_interruption_target_"+suffix)
		assert.Equal(t, "${aws_cloudwatch_event_rule."+address+".name}", target["rule"])
		assert.Equal(t, queueARNToken, target["arn"])
	}
}
