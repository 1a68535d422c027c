package karpenter

import (
	"encoding/json"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatcheventrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatcheventtarget"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/sqsqueue"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/sqsqueuepolicy"

	"github.com/honeyhive/platform/constructs/iampolicy"
)

// interruptionRule is an EventBridge rule that forwards one kind of event to
// the interruption queue.
type interruptionRule struct {
	id         string // construct ID suffix
	nameSuffix string // rule name suffix after "<Name>-karpenter-"
	source     string
	detailType string
}

// interruptionRules are the events Karpenter v1 handles: scheduled
// maintenance from AWS Health, spot interruption warnings, rebalance
// recommendations and instance state changes. For a stopping or terminated
// instance, Karpenter removes the node instead of waiting for it to go
// NotReady.
var interruptionRules = []interruptionRule{
	{"scheduled_change", "scheduled-change", "aws.health", "AWS Health Event"},
	{"spot_interruption", "spot-interruption", "aws.ec2", "EC2 Spot Instance Interruption Warning"},
	{"rebalance", "rebalance", "aws.ec2", "EC2 Instance Rebalance Recommendation"},
	{"instance_state_change", "instance-state-change", "aws.ec2", "EC2 Instance State-change Notification"},
}

// eventPattern is an EventBridge event pattern.
type eventPattern struct {
	Source     []string `json:"source"`
	DetailType []string `json:"detail-type"`
}

// newInterruptionQueue creates the queue Karpenter reads interruption events
// from, its policy and the EventBridge rules that fill it.
func newInterruptionQueue(scope constructs.Construct, c Config) sqsqueue.SqsQueue {
	name := c.Name + queueSuffix

	// The queue uses SSE-SQS, not a customer-managed key. EventBridge can
	// send to a queue under a customer-managed key only if that key's policy
	// admits events.amazonaws.com, which the platform's key policies do not.
	// The messages are instance IDs and event types kept for five minutes, so
	// the key that SQS owns is enough.
	queue := sqsqueue.NewSqsQueue(scope, jsii.String("interruption_queue"), &sqsqueue.SqsQueueConfig{
		Name: jsii.String(name),
		// A spot interruption warning comes two minutes ahead, so an event
		// older than five minutes is of no use.
		MessageRetentionSeconds: jsii.Number(300),
		SqsManagedSseEnabled:    jsii.Bool(true),
		Tags:                    &map[string]*string{"Name": jsii.String(name)},
	})

	var ruleARNs []string
	for _, r := range interruptionRules {
		ruleName := fmt.Sprintf("%s-%s", name, r.nameSuffix)
		pattern, err := json.Marshal(eventPattern{Source: []string{r.source}, DetailType: []string{r.detailType}})
		if err != nil {
			panic(fmt.Sprintf("karpenter: encoding an event pattern of plain strings cannot fail: %v", err))
		}
		rule := cloudwatcheventrule.NewCloudwatchEventRule(scope, jsii.String("interruption_rule_"+r.id), &cloudwatcheventrule.CloudwatchEventRuleConfig{
			Name:         jsii.String(ruleName),
			Description:  jsii.String(fmt.Sprintf("Sends %q events to Karpenter of cluster %s", r.detailType, c.ClusterName)),
			EventPattern: jsii.String(string(pattern)),
			Tags:         &map[string]*string{"Name": jsii.String(ruleName)},
		})
		cloudwatcheventtarget.NewCloudwatchEventTarget(scope, jsii.String("interruption_target_"+r.id), &cloudwatcheventtarget.CloudwatchEventTargetConfig{
			Rule:     rule.Name(),
			TargetId: jsii.String("KarpenterInterruptionQueueTarget"),
			Arn:      queue.Arn(),
		})
		ruleARNs = append(ruleARNs, *rule.Arn())
	}

	sqsqueuepolicy.NewSqsQueuePolicy(scope, jsii.String("interruption_queue_policy"), &sqsqueuepolicy.SqsQueuePolicyConfig{
		QueueUrl: queue.Url(),
		Policy:   jsii.String(queuePolicy(c, *queue.Arn(), ruleARNs).JSON()),
	})
	return queue
}

// queuePolicy admits EventBridge deliveries from the interruption rules and
// rejects any request to the queue that does not use TLS.
//
// sqs.amazonaws.com is admitted, limited to this account, because the
// Karpenter CloudFormation reference admits it next to EventBridge.
func queuePolicy(c Config, queueARN string, ruleARNs []string) iampolicy.Document {
	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:        "AllowInterruptionRules",
			Principal:  map[string][]string{"Service": {"events.amazonaws.com"}},
			Actions:    []string{"sqs:SendMessage"},
			Resources:  []string{queueARN},
			Conditions: conditions{"ArnEquals": {"aws:SourceArn": ruleARNs}},
		},
		{
			Sid:        "AllowSQSService",
			Principal:  map[string][]string{"Service": {"sqs.amazonaws.com"}},
			Actions:    []string{"sqs:SendMessage"},
			Resources:  []string{queueARN},
			Conditions: conditions{"StringEquals": {"aws:SourceAccount": {c.AccountID}}},
		},
		{
			Sid:        "DenyInsecureTransport",
			Effect:     "Deny",
			Principal:  map[string][]string{"AWS": {"*"}},
			Actions:    []string{"sqs:*"},
			Resources:  []string{queueARN},
			Conditions: conditions{"Bool": {"aws:SecureTransport": {"false"}}},
		},
	}}
}
