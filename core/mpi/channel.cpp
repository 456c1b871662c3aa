#include "mpi/channel.h"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "arch/error.h"

namespace archscope::mpi {
namespace {

void check(int rc, const char* what) {
    if (rc == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING] = {};
    int length = 0;
    MPI_Error_string(rc, text, &length);
    throw ArchError(std::string("MPI: ") + what + " failed: " + std::string(text, size_t(length)));
}

void waitFor(MPI_Request& request, const char* what, int peer, const PeerCheck& peerCheck) {
    Backoff backoff;
    for (;;) {
        int done = 0;
        check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), what);
        if (done) return;
        if (peerCheck) peerCheck(peer);  // the request is abandoned if it throws: MPI_Abort follows
        backoff.sleep();
    }
}

}  // namespace

Session::Session() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (initialized) throw ArchError("MPI is already initialised in this process");
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
    if (provided < MPI_THREAD_SERIALIZED) {
        MPI_Finalize();
        throw ArchError(
            "this MPI library does not offer MPI_THREAD_SERIALIZED, which rank 0 "
            "needs (its search runs on a job thread)");
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &m_size);
    char name[MPI_MAX_PROCESSOR_NAME] = {};
    int length = 0;
    MPI_Get_processor_name(name, &length);
    m_host.assign(name, size_t(length));
}

Session::~Session() {
    if (m_finalize) MPI_Finalize();
}

void Session::abort(int code) {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::abort();  // MPI_Abort does not return; keep the promise if it ever does
}

void Backoff::sleep() {
    std::this_thread::sleep_for(m_delay);
    m_delay = std::min(m_delay * 2, kMost);
}

void send(int dest, Tag tag, const std::string& text, const PeerCheck& peerCheck) {
    MPI_Request request;
    check(MPI_Isend(text.data(), int(text.size()), MPI_CHAR, dest, int(tag), MPI_COMM_WORLD,
                    &request),
          "MPI_Isend");
    waitFor(request, "MPI_Isend", dest, peerCheck);
}

std::optional<Message> tryReceive(int source, const PeerCheck& peerCheck) {
    int found = 0;
    MPI_Status status;
    check(MPI_Iprobe(source < 0 ? MPI_ANY_SOURCE : source, MPI_ANY_TAG, MPI_COMM_WORLD, &found,
                     &status),
          "MPI_Iprobe");
    if (!found) return std::nullopt;
    int count = 0;
    check(MPI_Get_count(&status, MPI_CHAR, &count), "MPI_Get_count");
    Message m{status.MPI_SOURCE, Tag(status.MPI_TAG), std::string(size_t(count), '\0')};
    MPI_Request request;
    check(MPI_Irecv(m.text.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG,
                    MPI_COMM_WORLD, &request),
          "MPI_Irecv");
    waitFor(request, "MPI_Irecv", status.MPI_SOURCE, peerCheck);
    return m;
}

}  // namespace archscope::mpi
