package io.github.ephemeralcredentials.core.provider.aws;

import java.time.Instant;
import java.util.Objects;

/**
 * The part of an STS {@code AssumeRole*} answer we use.
 *
 * @param accessKeyId     {@code Credentials/AccessKeyId}
 * @param secretAccessKey {@code Credentials/SecretAccessKey} (secret)
 * @param sessionToken    {@code Credentials/SessionToken} (secret)
 * @param expiration      {@code Credentials/Expiration}
 * @param assumedRoleArn  {@code AssumedRoleUser/Arn}, e.g. {@code arn:aws:sts::123456789012:assumed-role/deploy/s1}
 * @param assumedRoleId   {@code AssumedRoleUser/AssumedRoleId}, the principal id CloudTrail records
 *                        ({@code AROA...:s1}); may be {@code null}
 * @param requestId       {@code ResponseMetadata/RequestId}, for support cases; {@code null} when absent (Ceph)
 */
record StsCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
                      String assumedRoleArn, String assumedRoleId, String requestId) {

    StsCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
        Objects.requireNonNull(expiration, "expiration");
    }

    /** The account id from the assumed-role ARN (fifth field), or {@code null} when it is empty (Ceph tenants). */
    String accountId() {
        if (assumedRoleArn == null) {
            return null;
        }
        String[] fields = assumedRoleArn.split(":", 6);
        return fields.length == 6 && !fields[4].isEmpty() ? fields[4] : null;
    }

    @Override
    public String toString() {
        return "StsCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****, sessionToken=****, expiration="
                + expiration + ", assumedRoleArn=" + assumedRoleArn + "]";
    }
}
