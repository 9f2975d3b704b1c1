/** The Google Static Maps image the legacy server attached to a crash (`location_detail.image`). */
export function staticMapUrl(key: string, latitude: number, longitude: number): string {
  const center = `${latitude},${longitude}`;
  const params = new URLSearchParams({
    center,
    zoom: '16',
    size: '640x400',
    markers: `color:red|${center}`,
    key,
  });
  return `https://maps.googleapis.com/maps/api/staticmap?${params.toString()}`;
}
