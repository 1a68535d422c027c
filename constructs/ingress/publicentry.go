package ingress

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificate"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificatevalidation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsroute53zone"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53record"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/helmrelease"
)

// IngressClassName is the IngressClass that public Ingresses name in
// spec.ingressClassName.
const IngressClassName = "public"

// Annotations that a public Ingress sets so that its load balancer also
// listens on port 80 and redirects every HTTP request to HTTPS. The
// controller merges listen ports across the Ingresses of a group, but
// requires every Ingress that sets the redirect to set the same port.
const (
	// ListenPortsAnnotation lists the load balancer's listeners.
	ListenPortsAnnotation = "alb.ingress.kubernetes.io/listen-ports"

	// ListenPortsHTTPAndHTTPS is the ListenPortsAnnotation value for an
	// HTTP listener on port 80 and an HTTPS listener on port 443.
	ListenPortsHTTPAndHTTPS = `[{"HTTP":80},{"HTTPS":443}]`

	// SSLRedirectAnnotation names the HTTPS port that every HTTP listener
	// redirects to.
	SSLRedirectAnnotation = "alb.ingress.kubernetes.io/ssl-redirect"

	// SSLRedirectPort is the SSLRedirectAnnotation value.
	SSLRedirectPort = "443"
)

const (
	// certificateKeyAlgorithm is ECDSA P-256. RFC 8446 makes
	// ecdsa_secp256r1_sha256 signatures mandatory for TLS 1.3 clients, and
	// P-256 keys make smaller handshakes and cheaper signatures than RSA
	// 2048 keys.
	certificateKeyAlgorithm = "EC_prime256v1"

	// validationRecordTTL is short, in seconds, so that a replaced
	// validation record takes effect quickly.
	validationRecordTTL = 60

	ingressControllerName = "ingress.k8s.aws/alb"
	releaseName           = "public-ingress-class"

	// releaseNamespace holds the Helm release record. The IngressClass and
	// its parameters are cluster-scoped.
	releaseNamespace = "kube-system"
)

// PublicEntry is the public HTTPS entry point of one region: a validated
// ACM certificate and the "public" IngressClass that puts every public
// Ingress behind one internet-facing Application Load Balancer.
type PublicEntry struct {
	constructs.Construct

	// CertificateARN is the certificate's ARN, taken from the validation
	// resource so that users of it wait until ACM has issued it.
	CertificateARN *string

	// ZoneID is the environment's public hosted zone, for ExternalDNS and
	// for records of the region.
	ZoneID *string

	// IngressClassName is the class that public Ingresses name: "public".
	IngressClassName string

	// GroupName is the IngressGroup that joins every public Ingress into one
	// load balancer: "<Name>-public".
	GroupName string

	// Hostnames are the names the certificate covers: "*.<Domain>" and
	// "*.<RegionCode>.<Domain>".
	Hostnames []string

	// IngressAnnotations are the annotations every public Ingress sets. The
	// IngressClassParams API of controller v2.14 has no fields for listen
	// ports or the HTTP to HTTPS redirect, so the class cannot set them.
	IngressAnnotations map[string]string
}

// NewPublicEntry creates the certificate, its DNS validation records in the
// environment's public hosted zone, and a Helm release with the "public"
// IngressClass and its IngressClassParams. It panics if cfg is invalid.
//
// The IngressClassParams fix what an Ingress annotation cannot weaken. Only
// Ingresses in namespaces with the NamespaceSelectorLabel label, the
// tenants' namespaces, may use the class. The load balancer is
// internet-facing and IPv4, and its HTTPS listener uses
// the TLS 1.3 only policy and the validated certificate. It drops requests
// with invalid header fields and has deletion protection. Every Ingress of
// the class joins one IngressGroup, so the region runs one load balancer.
// Ingresses still set IngressAnnotations, for the port 80 listener and the
// redirect to HTTPS.
//
// The certificate is replaced before it is destroyed. A replacement, for
// example after a name or the key algorithm changes, updates the
// IngressClassParams, and the load balancer stops using the old
// certificate only when the controller reconciles. Deleting the old
// certificate can fail while the load balancer still uses it, and a later
// apply then retries the deletion.
func NewPublicEntry(scope constructs.Construct, id string, cfg PublicEntryConfig) *PublicEntry {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))
	groupName := cfg.Name + groupNameSuffix
	hostnames := []string{environmentWildcard(cfg.Domain), regionalWildcard(cfg.Domain, cfg.RegionCode)}

	zone := dataawsroute53zone.NewDataAwsRoute53Zone(c, jsii.String("public_zone"), &dataawsroute53zone.DataAwsRoute53ZoneConfig{
		Name:        jsii.String(cfg.Domain),
		PrivateZone: jsii.Bool(false),
	})

	certificateARN := newValidatedCertificate(c, zone.ZoneId(), hostnames, groupName)

	annotations := map[string]string{
		ListenPortsAnnotation: ListenPortsHTTPAndHTTPS,
		SSLRedirectAnnotation: SSLRedirectPort,
	}

	helmrelease.NewManifests(c, "ingress_class", helmrelease.ManifestsConfig{
		Name:      releaseName,
		Namespace: releaseNamespace,
		Manifests: []any{
			publicClassParams(groupName, cfg.SSLPolicy, cfg.NamespaceSelectorLabel, certificateARN),
			publicClass(),
		},
		Provider:  cfg.HelmProvider,
		DependsOn: cfg.DependsOn,
	})

	return &PublicEntry{
		Construct:          c,
		CertificateARN:     certificateARN,
		ZoneID:             zone.ZoneId(),
		IngressClassName:   IngressClassName,
		GroupName:          groupName,
		Hostnames:          hostnames,
		IngressAnnotations: annotations,
	}
}

// newValidatedCertificate requests a DNS-validated certificate for
// hostnames, writes one validation record per name into the zone, and
// returns the ARN from the validation resource.
func newValidatedCertificate(scope constructs.Construct, zoneID *string, hostnames []string, name string) *string {
	certificate := acmcertificate.NewAcmCertificate(scope, jsii.String("certificate"), &acmcertificate.AcmCertificateConfig{
		DomainName:              jsii.String(hostnames[0]),
		SubjectAlternativeNames: jsii.Strings(hostnames[1:]...),
		ValidationMethod:        jsii.String("DNS"),
		KeyAlgorithm:            jsii.String(certificateKeyAlgorithm),
		Lifecycle: &cdktf.TerraformResourceLifecycle{
			CreateBeforeDestroy: jsii.Bool(true),
		},
		Tags: &map[string]*string{"Name": jsii.String(name)},
	})

	// domain_validation_options is a set, so the records iterate over it
	// keyed by domain name. Names that share a record, such as a name and
	// its wildcard, would write the same record, which allow_overwrite
	// permits.
	options := cdktf.TerraformIterator_FromComplexList(certificate.DomainValidationOptions(), jsii.String("domain_name"))
	records := route53record.NewRoute53Record(scope, jsii.String("certificate_validation_record"), &route53record.Route53RecordConfig{
		ForEach:        options,
		ZoneId:         zoneID,
		Name:           options.GetString(jsii.String("resource_record_name")),
		Type:           options.GetString(jsii.String("resource_record_type")),
		Records:        &[]*string{options.GetString(jsii.String("resource_record_value"))},
		Ttl:            jsii.Number(validationRecordTTL),
		AllowOverwrite: jsii.Bool(true),
	})

	recordFQDNs := cdktf.TerraformIterator_FromResources(records).PluckProperty(jsii.String("fqdn"))
	validation := acmcertificatevalidation.NewAcmCertificateValidation(scope, jsii.String("certificate_validation"), &acmcertificatevalidation.AcmCertificateValidationConfig{
		CertificateArn:        certificate.Arn(),
		ValidationRecordFqdns: cdktf.Token_AsList(recordFQDNs, nil),
	})
	return validation.CertificateArn()
}

// publicClassParams returns the IngressClassParams of the public class,
// limited to the namespaces that carry namespaceLabel.
func publicClassParams(groupName, sslPolicy, namespaceLabel string, certificateARN *string) ingressClassParams {
	return ingressClassParams{
		APIVersion: "elbv2.k8s.aws/v1beta1",
		Kind:       "IngressClassParams",
		Metadata:   objectMeta{Name: IngressClassName},
		Spec: ingressClassParamsSpec{
			NamespaceSelector: labelSelector{MatchExpressions: []labelSelectorRequirement{
				{Key: namespaceLabel, Operator: "Exists"},
			}},
			Scheme:          "internet-facing",
			Group:           ingressGroup{Name: groupName},
			SSLPolicy:       sslPolicy,
			CertificateARNs: []string{*certificateARN},
			IPAddressType:   "ipv4",
			LoadBalancerAttributes: []attribute{
				{Key: "deletion_protection.enabled", Value: "true"},
				{Key: "routing.http.drop_invalid_header_fields.enabled", Value: "true"},
			},
			Tags: []tag{{Key: "Name", Value: groupName}},
		},
	}
}

// publicClass returns the IngressClass that the AWS Load Balancer
// Controller implements with the public IngressClassParams.
func publicClass() ingressClass {
	return ingressClass{
		APIVersion: "networking.k8s.io/v1",
		Kind:       "IngressClass",
		Metadata:   objectMeta{Name: IngressClassName},
		Spec: ingressClassSpec{
			Controller: ingressControllerName,
			Parameters: ingressClassParameters{
				APIGroup: "elbv2.k8s.aws",
				Kind:     "IngressClassParams",
				Name:     IngressClassName,
			},
		},
	}
}
