using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Patrols;

[StatelessWorker]
public sealed class PhotoGrain(IPhotoStore store, [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IPhotoGrain
{
    public async Task<Photo> Save(string contentType, string uploadedBy, byte[] data)
    {
        var now = time.GetUtcNow();
        var photo = new Photo(Guid.CreateVersion7(now).ToString(), contentType, uploadedBy, now, data);
        await store.SavePhoto(photo);
        return photo;
    }

    public Task<Photo?> Get(string id) => store.GetPhoto(id);
}
