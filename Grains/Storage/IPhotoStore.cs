using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Storage;

/// <summary>Finding photos.</summary>
public interface IPhotoStore
{
    Task SavePhoto(Photo photo);

    Task<Photo?> GetPhoto(string id);
}
