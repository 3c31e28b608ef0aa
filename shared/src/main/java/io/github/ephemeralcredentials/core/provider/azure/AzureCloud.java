package io.github.ephemeralcredentials.core.provider.azure;

import java.util.Arrays;
import java.util.Optional;

/** The Entra authority hosts of the national clouds (Microsoft's "National clouds" authentication endpoints). */
public enum AzureCloud {
    PUBLIC("public", "https://login.microsoftonline.com"),
    US_GOVERNMENT("usgov", "https://login.microsoftonline.us"),
    CHINA("china", "https://login.chinacloudapi.cn");

    private final String parameter;
    private final String authorityHost;

    AzureCloud(String parameter, String authorityHost) {
        this.parameter = parameter;
        this.authorityHost = authorityHost;
    }

    public String parameter() {
        return parameter;
    }

    public String authorityHost() {
        return authorityHost;
    }

    static Optional<AzureCloud> named(String parameter) {
        return Arrays.stream(values()).filter(c -> c.parameter.equals(parameter)).findFirst();
    }
}
