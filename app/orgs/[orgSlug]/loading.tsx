import { LoadingState } from "./_dashboard/states";

export default function Loading() {
  return <LoadingState what="the overview" />;
}
