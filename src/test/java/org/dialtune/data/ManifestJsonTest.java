package org.dialtune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestJsonTest {
    @TempDir Path dir;

    @Test
    void writeThenReadGivesTheSameManifest() throws IOException {
        FakeMirror m = new FakeMirror(dir);
        assertEquals(m.manifest, ManifestJson.read(m.manifestFile));
    }

    @Test
    void fileFromAnotherRepositoryKeepsItsOwnRepoAndCommit() throws IOException {
        FakeMirror m = new FakeMirror(dir);
        ManifestDataset beta = m.manifest.datasets().get(1);
        ManifestFile license = beta.files().get(0);
        assertEquals(FakeMirror.OTHER_REPO, license.repoIn(beta));
        assertEquals(FakeMirror.OTHER_COMMIT, license.commitIn(beta));
        assertEquals(FakeMirror.BETA_REPO, beta.files().get(1).repoIn(beta));
    }

    @Test
    void shortCommitIsRejectedNamingDatasetAndField() throws IOException {
        Path f = write(dataset("\"commit\": \"57ec275\"", "{\"path\": \"ds/a.txt\", \"source\": \"a.txt\"}"));
        assertEquals(f + ": datasets[0] \"ds\": field \"commit\": \"57ec275\" is not a full 40-digit lower-case commit id",
                error(f));
    }

    @Test
    void pathOutsideTheDatasetFolderIsRejected() throws IOException {
        Path f = write(dataset(COMMIT, "{\"path\": \"other/a.txt\", \"source\": \"a.txt\"}"));
        assertEquals(f + ": datasets[0] \"ds\": files[0]: field \"path\": \"other/a.txt\" must start with the "
                + "dataset folder \"ds/\"", error(f));
    }

    @Test
    void parentDirectorySegmentsAreRejected() throws IOException {
        Path f = write(dataset(COMMIT, "{\"path\": \"ds/../../etc/passwd\", \"source\": \"a.txt\"}"));
        assertEquals(f + ": datasets[0] \"ds\": files[0]: field \"path\": \"ds/../../etc/passwd\" is not a plain "
                + "relative path (a/b/c, no . or ..)", error(f));
    }

    @Test
    void misspelledFieldIsRejected() throws IOException {
        Path f = write(dataset(COMMIT, "{\"path\": \"ds/a.txt\", \"source\": \"a.txt\", \"sah256\": \"x\"}"));
        assertEquals(f + ": datasets[0] \"ds\": files[0]: field \"sah256\": unknown field (use: path, source, repo, "
                + "commit, size, sha256)", error(f));
    }

    @Test
    void duplicatePathIsRejected() throws IOException {
        String entry = "{\"path\": \"ds/a.txt\", \"source\": \"a.txt\"}";
        Path f = write(dataset(COMMIT, entry + ", " + entry));
        assertEquals(f + ": datasets[0] \"ds\": files[1]: field \"path\": \"ds/a.txt\" is listed twice", error(f));
    }

    @Test
    void repoWithoutCommitIsRejected() throws IOException {
        Path f = write(dataset(COMMIT, "{\"path\": \"ds/a.txt\", \"source\": \"a.txt\", \"repo\": \"o/r\"}"));
        assertEquals(f + ": datasets[0] \"ds\": files[0]: field \"commit\": missing (a file from another "
                + "repository needs both \"repo\" and \"commit\")", error(f));
    }

    @Test
    void unmeasuredFilesAreLoadedButRefusedByVerifyAndFetch() throws IOException {
        Path f = write(dataset(COMMIT, "{\"path\": \"ds/a.txt\", \"source\": \"a.txt\"}"));
        DataManifest m = ManifestJson.read(f);
        UserError e = assertThrows(UserError.class, () -> DataManifest.requireMeasured(m.datasets(), f));
        assertEquals(f + ": dataset \"ds\": file \"ds/a.txt\": no size or sha256 yet "
                + "(run: dialtune data manifest --from DATA_DIR)", e.getMessage());
    }

    @Test
    void unknownDatasetNamesAreListed() throws IOException {
        FakeMirror m = new FakeMirror(dir);
        UserError e = assertThrows(UserError.class, () -> m.manifest.select(List.of("beta", "gamma"), "--datasets"));
        assertEquals("--datasets: unknown dataset \"gamma\" (use names from the manifest: alpha, beta)", e.getMessage());
        assertEquals(List.of("beta"), m.manifest.select(List.of("beta"), "--datasets").stream()
                .map(ManifestDataset::name).toList());
    }

    private static final String COMMIT = "\"commit\": \"" + "0".repeat(40) + "\"";

    private static String dataset(String commitField, String files) {
        return "{\"version\": 1, \"datasets\": [{\"name\": \"ds\", \"license\": \"MIT\", \"repo\": \"o/r\", "
                + commitField + ", \"files\": [" + files + "]}]}";
    }

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("m.json"), json);
    }

    private static String error(Path f) {
        return assertThrows(UserError.class, () -> ManifestJson.read(f)).getMessage();
    }
}
