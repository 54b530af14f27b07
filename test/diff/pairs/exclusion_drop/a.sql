CREATE TABLE booking (id int PRIMARY KEY, room int NOT NULL, area box NOT NULL,
                      CONSTRAINT booking_no_overlap EXCLUDE USING gist (area WITH &&) WHERE (room > 0));
