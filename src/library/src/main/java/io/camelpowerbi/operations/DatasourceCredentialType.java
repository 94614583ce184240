package io.camelpowerbi.operations;

import java.util.List;

/**
 * The kinds of data source credentials Power BI takes ({@code CredentialDetails.credentialType}), each with the fields
 * its {@code credentialData} holds, in the order Microsoft's SDK writes them (PowerBI-CSharp CredentialDetails).
 */
public enum DatasourceCredentialType {
    Basic("username", "password"),
    Windows("username", "password"),
    Anonymous(),
    OAuth2("accessToken"),
    Key("key"),
    SAS("token");

    private final List<String> fields;

    DatasourceCredentialType(String... fields) {
        this.fields = List.of(fields);
    }

    /** The names of the credentialData entries. */
    public List<String> fields() {
        return fields;
    }
}
