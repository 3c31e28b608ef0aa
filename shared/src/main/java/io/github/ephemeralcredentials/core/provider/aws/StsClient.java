package io.github.ephemeralcredentials.core.provider.aws;

import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * One STS call over HTTP, query protocol (form POST, XML answer), mapped to {@link StsCredentials} or a
 * {@link ProviderException} whose reason and message say what to do. Retrying is the caller's business
 * ({@link io.github.ephemeralcredentials.core.provider.Retries}); this class marks what is worth retrying as
 * {@link Reason#UNAVAILABLE}.
 */
final class StsClient {

    static final String VERSION = "2011-06-15";
    static final long MAX_BODY = 64 * 1024;
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    private static final MediaType FORM_TYPE = MediaType.get(FORM);

    /** STS and AWS-wide codes that say "later", not "no". */
    private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "RequestLimitExceeded",
            "TooManyRequestsException", "SlowDown", "RequestThrottled", "ServiceUnavailable", "InternalFailure",
            "InternalError", "RequestTimeout", "IDPCommunicationError");

    private final OkHttpClient http;
    /** Only role chaining signs: a plain web-identity exchange never loads the SDK signer and its dependencies. */
    private static final class Signer {
        static final AwsV4HttpSigner INSTANCE = AwsV4HttpSigner.create();
    }

    StsClient(OkHttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    /** {@code AssumeRoleWithWebIdentity}: unsigned, the CI token is the proof. */
    StsCredentials assumeRoleWithWebIdentity(URI endpoint, Map<String, String> parameters, String ciToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", "AssumeRoleWithWebIdentity");
        form.put("Version", VERSION);
        form.putAll(parameters);
        form.put("WebIdentityToken", ciToken);
        Request request = new Request.Builder().url(endpoint.toString())
                .header("Accept", "application/xml, text/xml")
                .post(RequestBody.create(encode(form), FORM_TYPE))
                .build();
        return call(request, "AssumeRoleWithWebIdentity", Redactor.of(ciToken));
    }

    /** {@code AssumeRole} signed with SigV4 by {@code using}: role chaining. */
    StsCredentials assumeRole(URI endpoint, String signingRegion, Map<String, String> parameters,
                              StsCredentials using) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", "AssumeRole");
        form.put("Version", VERSION);
        form.putAll(parameters);
        byte[] body = encode(form);
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", FORM)
                .build();
        SignedRequest signed = Signer.INSTANCE.sign(r -> r
                .identity(AwsSessionCredentialsIdentity.create(using.accessKeyId(), using.secretAccessKey(),
                        using.sessionToken()))
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion));
        Request.Builder request = new Request.Builder().url(endpoint.toString())
                .header("Accept", "application/xml, text/xml")
                .post(RequestBody.create(body, FORM_TYPE));
        signed.request().headers().forEach((name, values) -> {
            // OkHttp sets Host and Content-Length itself, to the same values that were signed.
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> request.addHeader(name, v));
            }
        });
        return call(request.build(), "AssumeRole",
                Redactor.of(using.secretAccessKey(), using.sessionToken()));
    }

    private StsCredentials call(Request request, String action, Redactor redactor) {
        int status;
        String body;
        try (Response response = http.newCall(request).execute()) {
            status = response.code();
            ResponseBody responseBody = response.body();
            body = HttpClients.readLimited(responseBody, MAX_BODY);
        } catch (HttpClients.BodyTooLargeException e) {
            throw new ProviderException(AwsProvider.ID, Reason.UNEXPECTED_RESPONSE, null, "STS " + action + " at "
                    + request.url().host() + " answered with more than " + MAX_BODY + " bytes; check the endpoint");
        } catch (IOException e) {
            throw new ProviderException(AwsProvider.ID, Reason.UNAVAILABLE, null, "STS " + action + " at "
                    + request.url().host() + " could not be reached (" + redactor.redact(e.toString())
                    + "); check the endpoint, the network and any proxy", e);
        }
        if (status == 200) {
            try {
                return StsXml.credentials(body, action);
            } catch (StsXml.MalformedException e) {
                throw new ProviderException(AwsProvider.ID, Reason.UNEXPECTED_RESPONSE, null, "STS " + action
                        + " at " + request.url().host() + " answered 200 but not with STS XML: " + e.getMessage()
                        + "; check that 'endpoint' points at an STS endpoint");
            }
        }
        throw failure(status, StsXml.error(body), action, request.url().host(), redactor);
    }

    static ProviderException failure(int status, Optional<StsError> parsed, String action, String host,
                                     Redactor redactor) {
        if (parsed.isEmpty()) {
            Reason reason = status == 429 || status >= 500 ? Reason.UNAVAILABLE : Reason.UNEXPECTED_RESPONSE;
            return new ProviderException(AwsProvider.ID, reason, null, "STS " + action + " at " + host
                    + " answered HTTP " + status + " without an STS error document"
                    + (reason == Reason.UNAVAILABLE ? "; the service is unavailable, try again later"
                    : "; check that 'endpoint' points at an STS endpoint"));
        }
        StsError error = parsed.get();
        String code = error.code();
        String said = error.message() == null ? "" : ": " + redactor.redact(error.message());
        String request = error.requestId() == null ? "" : " (request id " + error.requestId() + ")";
        String prefix = "STS " + action + " refused with " + code + said + request + ". ";
        Reason reason;
        String todo;
        switch (code) {
            case "AccessDenied", "AccessDeniedException" -> {
                reason = Reason.ACCESS_DENIED;
                todo = action.equals("AssumeRole")
                        ? "Allow the first role to call sts:AssumeRole on 'chain-role-arn', and trust it in that "
                        + "role's trust policy."
                        : "Check the role's trust policy: its Principal must be the IAM OIDC provider of this "
                        + "token's issuer, and its conditions on <issuer>:sub and <issuer>:aud must match the "
                        + "token's sub and aud exactly.";
            }
            case "InvalidIdentityToken" -> {
                reason = Reason.INVALID_TOKEN;
                todo = "Check the IAM OIDC provider for this issuer: its URL must equal the token's iss, its "
                        + "audiences must include the token's aud, and the issuer's discovery document and JWKS "
                        + "must be reachable from AWS.";
            }
            case "IDPRejectedClaim" -> {
                reason = Reason.INVALID_TOKEN;
                todo = "The identity provider rejected a claim of the token: check the audience and that the "
                        + "token has not expired or been revoked.";
            }
            case "ExpiredTokenException", "ExpiredToken" -> {
                reason = Reason.INVALID_TOKEN;
                todo = action.equals("AssumeRole")
                        ? "The first role's session expired before chaining; try again."
                        : "The CI token expired before STS saw it: request it right before the exchange, and "
                        + "check the runner's clock.";
            }
            case "MalformedPolicyDocument" -> {
                reason = Reason.INVALID_SCOPE;
                todo = "Fix the profile's 'session-policy': it must be a valid IAM policy document.";
            }
            case "PackedPolicyTooLarge" -> {
                reason = Reason.INVALID_SCOPE;
                todo = "The session policy and policy ARNs are too large once packed: shorten 'session-policy' "
                        + "or move statements into a managed policy listed in 'policy-arns'.";
            }
            case "RegionDisabledException" -> {
                reason = Reason.INVALID_PARAMETERS;
                todo = "Activate STS for this region in the account's IAM settings, or use another 'region'.";
            }
            case "ValidationError", "InvalidArgument", "InvalidParameterValue", "InvalidParameterCombination", "MissingParameter",
                 "InvalidAction" -> {
                reason = Reason.INVALID_PARAMETERS;
                todo = "Check the profile's AWS parameters (role-arn, lifetime against the role's maximum session "
                        + "duration, session policy).";
            }
            case "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature" -> {
                reason = Reason.ACCESS_DENIED;
                todo = "The signed AssumeRole call was refused: the first role's credentials were not accepted "
                        + "at this endpoint; check 'region' and 'endpoint'.";
            }
            default -> {
                if (THROTTLING.contains(code) || status == 429 || status >= 500) {
                    reason = Reason.UNAVAILABLE;
                    todo = code.equals("IDPCommunicationError")
                            ? "STS could not reach the token's issuer to fetch its keys; if this persists, check "
                            + "that the issuer's discovery document and JWKS are reachable from AWS."
                            : "STS is throttling or unavailable; try again later.";
                } else if (status == 403) {
                    reason = Reason.ACCESS_DENIED;
                    todo = "Check the role's trust policy and the IAM OIDC provider.";
                } else {
                    reason = Reason.UNEXPECTED_RESPONSE;
                    todo = "See the AWS STS documentation for this error code.";
                }
            }
        }
        return new ProviderException(AwsProvider.ID, reason, code, prefix + todo);
    }

    /**
     * {@code application/x-www-form-urlencoded} in the map's order, with RFC 3986 percent-encoding as the AWS SDKs
     * send it ({@code %20} for a space, not {@code +}, which Ceph RadosGW does not decode in every field).
     */
    static byte[] encode(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        form.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(percentEncode(k)).append('=').append(percentEncode(v));
        });
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    /** {@code PolicyArns.member.N.arn}, N from 1. */
    static Map<String, String> policyArns(List<String> arns) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < arns.size(); i++) {
            form.put("PolicyArns.member." + (i + 1) + ".arn", arns.get(i));
        }
        return form;
    }
}
