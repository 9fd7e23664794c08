package io.sluice.source.sql;

import static java.util.Objects.requireNonNull;

import io.sluice.source.SourceException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * The database a source reads, and the way in: its URL, user and password.
 *
 * @param password the password itself, resolved from the secret the spec names; never part of a message
 */
record Database(Dialect dialect, String url, Optional<String> username, Optional<String> password) {
    Database {
        requireNonNull(dialect, "dialect is null");
        requireNonNull(url, "url is null");
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
    }

    /**
     * A new connection.
     *
     * @throws SourceException naming the database and the cause: transient when it could not be reached
     */
    Connection connect() {
        Properties properties = new Properties();
        username.ifPresent(user -> properties.setProperty("user", user));
        password.ifPresent(value -> properties.setProperty("password", value));
        try {
            return dialect.connect(url, properties);
        } catch (SQLException e) {
            throw SqlFailures.of("cannot connect to " + address() + username.map(user -> " as " + user).orElse(""), e);
        }
    }

    /** The URL without its parameters and any user information in it, which may hold a password: safe to show. */
    String address() {
        String withoutParameters = url.replaceFirst("[?;].*$", "");
        return withoutParameters.replaceFirst("//[^/@]*@", "//");
    }
}
