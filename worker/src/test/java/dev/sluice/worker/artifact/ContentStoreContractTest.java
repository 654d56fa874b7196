package dev.sluice.worker.artifact;

class ContentStoreContractTest extends ArtifactStoreContract {

    @Override
    ArtifactStore store() {
        return new ContentStore(temp.resolve("store"));
    }
}
