package io.github.ephemeralcredentials.core.provider.aws;

/**
 * An error answer, in either shape: STS's {@code <ErrorResponse><Error><Type/><Code/><Message/></Error>
 * <RequestId/></ErrorResponse>} (AWS) or S3's {@code <Error><Code/><Message/><RequestId/></Error>} (Ceph RadosGW).
 *
 * @param type      {@code Sender} or {@code Receiver}; {@code null} in the S3 shape
 * @param code      e.g. {@code AccessDenied}
 * @param message   the service's explanation; may be {@code null}
 * @param requestId for support cases; may be {@code null}
 */
record StsError(String type, String code, String message, String requestId) {
}
