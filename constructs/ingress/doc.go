// Package ingress creates the public HTTPS entry point of a region. It
// consists of an ACM certificate for the environment's and the region's
// names and the "public" IngressClass of the AWS Load Balancer Controller.
// DNS records in the environment's public hosted zone validate the
// certificate.
//
// Only namespaces with the PublicEntryConfig.NamespaceSelectorLabel label,
// by default the tenancy package's tenant label, may use the class. Every
// Ingress with ingressClassName "public" in such a namespace joins one
// IngressGroup, so the region serves all public hostnames from one
// internet-facing Application Load Balancer. The class's IngressClassParams set the scheme,
// the TLS 1.3 only security policy, the certificate and the load balancer
// attributes. The controller lets IngressClassParams override the matching
// Ingress annotations, so an application cannot weaken them.
//
// Listen ports and the redirect from HTTP to HTTPS have no IngressClassParams
// field in controller v2.14: its listeners field only sets listener
// attributes. Each public Ingress therefore sets PublicEntry.IngressAnnotations
// (an HTTP listener on port 80 and an HTTPS listener on port 443, with HTTP
// redirected to port 443), and names its hosts under one of
// PublicEntry.Hostnames, which the certificate covers.
package ingress
